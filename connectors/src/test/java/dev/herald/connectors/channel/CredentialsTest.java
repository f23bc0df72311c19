package dev.herald.connectors.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.Channel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading tokens per account, and keeping them out of every message and string. */
class CredentialsTest {

  private static final String TOKEN = "EAAG-very-secret-token";

  @Test
  void readsOneTokenPerLineWithCommentsAndBlankLines() {
    Credentials c =
        Credentials.parse(
            """
            # pages
            messenger/page-1 = EAAB-page-token

            instagram/17841400000000000=IGQ-token
              whatsapp/1234567890=wa=token==
            """,
            "test");

    assertThat(c.tokenFor(Channel.MESSENGER, "page-1")).contains(Secret.of("EAAB-page-token"));
    assertThat(c.tokenFor(Channel.INSTAGRAM, "17841400000000000")).contains(Secret.of("IGQ-token"));
    // Only the first '=' separates: a token may end in base64 padding.
    assertThat(c.tokenFor(Channel.WHATSAPP, "1234567890")).contains(Secret.of("wa=token=="));
    assertThat(c.tokenFor(Channel.MESSENGER, "page-2")).isEmpty();
    assertThat(c.tokenFor(Channel.INSTAGRAM, "page-1")).isEmpty();
    assertThat(c.accounts())
        .containsExactly("instagram/17841400000000000", "messenger/page-1", "whatsapp/1234567890");
  }

  @Test
  void aBadLineFailsWithItsNumberAndWhatIsWrong() {
    assertThatThrownBy(
            () -> Credentials.parse("# c\nmessenger/p=t\n\n" + TOKEN + "\n", "creds.txt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("credentials creds.txt, line 4: expected channel/account=TOKEN");
    assertThatThrownBy(() -> Credentials.parse("telegram/1=" + TOKEN, "f"))
        .hasMessage(
            "credentials f, line 1: the channel before '/' must be one of messenger, instagram,"
                + " whatsapp");
    assertThatThrownBy(() -> Credentials.parse("whatsapp/=" + TOKEN, "f"))
        .hasMessage("credentials f, line 1: expected an account id after 'whatsapp/'");
    assertThatThrownBy(() -> Credentials.parse("page-1=" + TOKEN, "f"))
        .hasMessage("credentials f, line 1: expected channel/account before '='");
    assertThatThrownBy(() -> Credentials.parse("\nwhatsapp/1=", "f"))
        .hasMessage("credentials f, line 2: no token after '=' for whatsapp/1");
    assertThatThrownBy(() -> Credentials.parse("whatsapp/1=a\nwhatsapp/1=" + TOKEN, "f"))
        .hasMessage("credentials f, line 2: whatsapp/1 is given twice (first on line 1)");
  }

  @Test
  void noErrorEverEchoesAToken() {
    String[] bad = {
      TOKEN, // a token pasted alone
      TOKEN + "/x=y", // on the wrong side of '='
      "messenger/p=a\nmessenger/p=" + TOKEN, // repeated
      "messenger/" + TOKEN + " x=y", // in the account, with a space
    };
    for (String text : bad) {
      assertThatThrownBy(() -> Credentials.parse(text, "f"))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .doesNotContain(TOKEN);
    }
  }

  @Test
  void toStringNamesAccountsAndMasksTokens() {
    Credentials c = Credentials.parse("whatsapp/123=" + TOKEN, "f");

    assertThat(c.toString()).isEqualTo("Credentials[whatsapp/123]");
    assertThat(Secret.of(TOKEN).toString()).isEqualTo("***");
    assertThat(String.valueOf(c.tokenFor(Channel.WHATSAPP, "123"))).doesNotContain(TOKEN);
    assertThat(CredentialsSource.inline(c).toString()).doesNotContain(TOKEN);
  }

  @Test
  void readsAFileAndTheEnvironmentVariable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, "messenger/page-1=" + TOKEN + "\n");

    assertThat(Credentials.fromFile(file).tokenFor(Channel.MESSENGER, "page-1"))
        .contains(Secret.of(TOKEN));
    assertThat(CredentialsSource.file(file).load().accounts()).containsExactly("messenger/page-1");
    assertThat(
            Credentials.fromEnvironment(Map.of("HERALD_CREDENTIALS", "whatsapp/9=" + TOKEN))
                .tokenFor(Channel.WHATSAPP, "9"))
        .contains(Secret.of(TOKEN));
    assertThat(Credentials.fromEnvironment(Map.of()).accounts()).isEmpty();
    assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of("HERALD_CREDENTIALS", "x")))
        .hasMessage("credentials $HERALD_CREDENTIALS, line 1: expected channel/account=TOKEN");
    assertThatThrownBy(() -> Credentials.fromFile(dir.resolve("missing")))
        .hasMessageContaining("cannot read the credentials file");
  }

  @Test
  void theFlagChoosesTheFileElseTheEnvironment() {
    assertThat(CredentialsSource.fromFlag("/etc/herald/credentials").toString())
        .isEqualTo("credentials file /etc/herald/credentials");
    assertThat(CredentialsSource.fromFlag(null).toString()).isEqualTo("$HERALD_CREDENTIALS");
  }

  @Test
  void survivesJavaSerializationAsFlinkShipsIt(@TempDir Path dir) throws Exception {
    Credentials c = Credentials.parse("messenger/page-1=" + TOKEN, "f");
    Path file = dir.resolve("credentials");
    Files.writeString(file, "whatsapp/1=" + TOKEN);

    Credentials back = roundTrip(CredentialsSource.inline(c)).load();
    Credentials fromFile = roundTrip(CredentialsSource.file(file)).load();

    assertThat(back.tokenFor(Channel.MESSENGER, "page-1")).contains(Secret.of(TOKEN));
    assertThat(fromFile.tokenFor(Channel.WHATSAPP, "1")).contains(Secret.of(TOKEN));
  }

  @Test
  void aTokenIsNeverBlank() {
    assertThatThrownBy(() -> Secret.of(" ")).hasMessage("a token must not be empty");
    assertThatThrownBy(() -> Credentials.of(Map.of("nochannel", Secret.of(TOKEN))))
        .hasMessage("expected channel/account before '='");
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
