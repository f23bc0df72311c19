package dev.herald.connectors.kafka.local;

import java.time.Duration;
import java.util.Properties;

/**
 * The configuration of the local broker: one node that is both broker and KRaft controller,
 * listening on 127.0.0.1 only, sized for one machine and for Herald's own topics.
 */
final class BrokerSettings {

  /** The node's id, also its id in the one-voter controller quorum. */
  static final int NODE_ID = 1;

  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /**
   * The longest transaction a producer may ask for ({@code transaction.max.timeout.ms}). A
   * KafkaSink's transaction stays open from one checkpoint to the next, and its producers ask for
   * {@code transaction.timeout.ms} of one hour unless the job sets less (up to 15 minutes is
   * usual). Kafka's own ceiling is 15 minutes, which would refuse the default at start-up.
   */
  static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofHours(1);

  /** Topics created without a partition count (auto-creation is off; the Admin API may omit it). */
  static final int DEFAULT_PARTITIONS = 2;

  private BrokerSettings() {}

  /**
   * @param storage where the topic data and the cluster metadata are kept
   * @param port the port clients connect to
   * @param controllerPort the controller quorum's port, free for this start only
   * @param startupTimeout how long the broker may take to start before it gives up
   */
  static Properties of(Storage storage, int port, int controllerPort, Duration startupTimeout) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(NODE_ID));
    // A static one-voter quorum: the voter's address is read from here at every start, so the
    // controller may get a different port each time. A dynamic quorum (`--standalone`) records
    // the address in the metadata log, and a restart on another port would lose the controller.
    p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
    p.setProperty(
        "listeners",
        BROKER_LISTENER
            + "://127.0.0.1:"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    p.setProperty("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + port);
    p.setProperty("inter.broker.listener.name", BROKER_LISTENER);
    p.setProperty(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.setProperty("log.dirs", storage.logDir().toString());
    p.setProperty("metadata.log.dir", storage.metadataDir().toString());

    // One node: every internal topic has one replica, and one in sync is enough to write.
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    // The internal topics are created on first use; 50 partitions each (the default) only
    // slows that first use down on one machine.
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.num.partitions", "1");

    // A consumer group starts at once instead of waiting 3 s for more members.
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("transaction.max.timeout.ms", Long.toString(MAX_TRANSACTION_TIMEOUT.toMillis()));
    // Topics come from `bin/kafka topics` (Topics), with their retention; a typo in a topic
    // name must fail, not create a topic with the broker's defaults.
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("num.partitions", Integer.toString(DEFAULT_PARTITIONS));
    p.setProperty("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));
    return p;
  }
}
