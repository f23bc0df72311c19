package dev.herald.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.Basis;
import dev.herald.schema.Decision;
import dev.herald.schema.Outcome;
import dev.herald.schema.UserEvent;
import dev.herald.state.UserRecord;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The micro-benchmarks measure what they say: the decisions, events and state they run on. */
class TypicalUserTest {

  @Test
  void theTypicalUserHasThePopulationsState() {
    var s = TypicalUser.state();
    assertThat(s.tags()).containsExactly("match", "red-wine", "started");
    assertThat(s.breadcrumb()).isEqualTo("/shop/red-wine");
    assertThat(s.otnTokens()).hasSize(1);
    assertThat(s.otnTopics()).containsExactly("restock");
    assertThat(s.subscriptions()).hasSize(1);
    assertThat(TypicalUser.key().user()).isEqualTo("u-123456");
  }

  @Test
  void insideTheWindowTheCampaignSendsOnTheStandardWindow() {
    PolicyBench b = new PolicyBench();
    b.setUp();
    Decision d = b.decideInWindow().decision();
    assertThat(d.outcome()).isEqualTo(Outcome.SEND);
    assertThat(d.basis()).isEqualTo(Basis.STANDARD_WINDOW);
  }

  @Test
  void outsideTheWindowTheCampaignSpendsTheOtnToken() {
    PolicyBench b = new PolicyBench();
    b.setUp();
    var v = b.decideOutsideWindowOtn();
    assertThat(v.decision().outcome()).isEqualTo(Outcome.SEND);
    assertThat(v.decision().basis()).isEqualTo(Basis.OTN);
    assertThat(v.after().otnTokens()).isEmpty();
  }

  @Test
  void everyKindOfEventParses() {
    CodecBench b = new CodecBench();
    b.setUp();
    for (String kind : new String[] {"interaction", "tag", "otn_optin", "recurring_optin"}) {
      CodecBench.Event e = new CodecBench.Event();
      e.kind = kind;
      e.setUp();
      var parsed = b.parseUserEvent(e);
      assertThat(parsed.reason()).as(kind).isNull();
      UserEvent event = parsed.value();
      assertThat(event.type()).isEqualTo(kind);
      assertThat(b.eventTime(e)).isEqualTo(event.at().toEpochMilli());
    }
    assertThat(b.writeDecision()).contains("\"basis\":\"OTN\"");
  }

  @Test
  void theSerializerBenchmarksRoundTripTheRecord() throws IOException {
    StateSerializerBench b = new StateSerializerBench();
    b.setUp();
    assertThat(b.serialize()).isEqualTo(b.bytes.length);
    UserRecord back = b.deserialize();
    assertThat(back).isEqualTo(TypicalUser.record());
  }
}
