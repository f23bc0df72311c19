package dev.herald.job.types;

import dev.herald.job.ControlInput;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The type information of everything the job sends between tasks or keeps in state. */
public final class Types {

  public static final TypeInformation<UserKey> USER_KEY =
      new SerializerTypeInfo<>(UserKey.class, UserKeySerializer.INSTANCE, true);
  public static final TypeInformation<UserEvent> USER_EVENT =
      new SerializerTypeInfo<>(UserEvent.class, UserEventSerializer.INSTANCE, false);
  public static final TypeInformation<ControlInput> CONTROL =
      new SerializerTypeInfo<>(ControlInput.class, ControlInputSerializer.INSTANCE, false);
  public static final TypeInformation<UserRecord> USER_RECORD =
      new SerializerTypeInfo<>(UserRecord.class, UserRecordSerializer.INSTANCE, false);
  public static final TypeInformation<Decision> DECISION =
      new SerializerTypeInfo<>(Decision.class, DecisionSerializer.INSTANCE, false);
  public static final TypeInformation<SendRequest> SEND_REQUEST =
      new SerializerTypeInfo<>(SendRequest.class, SendRequestSerializer.INSTANCE, false);
  public static final TypeInformation<DeadLetter> DEAD_LETTER =
      new SerializerTypeInfo<>(DeadLetter.class, DeadLetterSerializer.INSTANCE, false);

  public static final TypeInformation<DeliveryOutcome> DELIVERY_OUTCOME =
      new SerializerTypeInfo<>(DeliveryOutcome.class, DeliveryOutcomeSerializer.INSTANCE, false);
  public static final TypeInformation<AccountStatus> ACCOUNT_STATUS =
      new SerializerTypeInfo<>(AccountStatus.class, AccountStatusSerializer.INSTANCE, false);

  private Types() {}
}
