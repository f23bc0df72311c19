package dev.herald.connectors.channel;

import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Channel;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how the sink calls the platforms: the base URL of the Messenger Platform (Messenger and
 * Instagram) and of the WhatsApp Cloud API (both the Graph API unless configured, a simulator in
 * tests), the Graph API version, the timeout of one call, and the {@link ResiliencePresets}.
 *
 * <p>A send is {@code POST {base}/{version}/{account}/messages}. The URL never carries a token:
 * tokens travel in the {@code Authorization} header only, since URLs end up in access logs and
 * exception messages.
 */
public final class ChannelEndpoints implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The Graph API version called unless configured otherwise. */
  public static final String DEFAULT_API_VERSION = "v23.0";

  private static final Pattern VERSION = Pattern.compile("v[0-9]+\\.[0-9]+");

  private final String messengerBaseUrl;
  private final String whatsappBaseUrl;
  private final String apiVersion;
  private final Duration requestTimeout;
  private final ResiliencePresets presets;

  private ChannelEndpoints(Builder b) {
    this.messengerBaseUrl = b.messengerBaseUrl;
    this.whatsappBaseUrl = b.whatsappBaseUrl;
    this.apiVersion = b.apiVersion;
    this.requestTimeout = b.requestTimeout;
    this.presets = b.presets;
  }

  /** The Graph API with the default version, timeout and presets. */
  public static ChannelEndpoints defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The URL of a send call for {@code account} on {@code channel}. */
  public URI messagesUri(Channel channel, String account) {
    String base = channel == Channel.WHATSAPP ? whatsappBaseUrl : messengerBaseUrl;
    return URI.create(base + "/" + apiVersion + "/" + pathSegment(account) + "/messages");
  }

  public String messengerBaseUrl() {
    return messengerBaseUrl;
  }

  public String whatsappBaseUrl() {
    return whatsappBaseUrl;
  }

  public String apiVersion() {
    return apiVersion;
  }

  /** How long one call may take, from sending to the whole answer. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  public ResiliencePresets presets() {
    return presets;
  }

  /**
   * The timeout to give Flink's async operator: longer than any one request can take through all
   * its attempts (see {@link ResiliencePresets#longestDelivery}), with a few seconds to spare, so
   * that the sink's own outcome, not Flink's timeout, ends a request.
   */
  public Duration asyncTimeout() {
    return presets.longestDelivery(requestTimeout).plusSeconds(5);
  }

  @Override
  public String toString() {
    return "ChannelEndpoints{messenger "
        + messengerBaseUrl
        + ", whatsapp "
        + whatsappBaseUrl
        + ", "
        + apiVersion
        + ", timeout "
        + requestTimeout
        + ", "
        + presets
        + "}";
  }

  /**
   * {@code account} as one URL path segment: everything but unreserved characters is
   * percent-encoded (UTF-8), so an id can never add a path segment or a query.
   */
  static String pathSegment(String account) {
    StringBuilder b = new StringBuilder();
    for (byte raw : account.getBytes(StandardCharsets.UTF_8)) {
      int c = raw & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        b.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  /** Builds endpoints; {@link #build()} checks them. */
  public static final class Builder {
    private String messengerBaseUrl = MessagingChannel.GRAPH_API;
    private String whatsappBaseUrl = MessagingChannel.GRAPH_API;
    private String apiVersion = DEFAULT_API_VERSION;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private ResiliencePresets presets = ResiliencePresets.defaults();

    private Builder() {}

    /** The Messenger Platform's base URL, for Messenger and Instagram. */
    public Builder messengerBaseUrl(String url) {
      this.messengerBaseUrl = url;
      return this;
    }

    /** The WhatsApp Cloud API's base URL. */
    public Builder whatsappBaseUrl(String url) {
      this.whatsappBaseUrl = url;
      return this;
    }

    /** One base URL for all channels (a simulator that serves them all). */
    public Builder baseUrl(String url) {
      return messengerBaseUrl(url).whatsappBaseUrl(url);
    }

    /** The Graph API version, like {@code v23.0}. */
    public Builder apiVersion(String version) {
      this.apiVersion = version;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public Builder presets(ResiliencePresets presets) {
      this.presets = presets;
      return this;
    }

    public ChannelEndpoints build() {
      messengerBaseUrl = checkBaseUrl("messengerBaseUrl", messengerBaseUrl);
      whatsappBaseUrl = checkBaseUrl("whatsappBaseUrl", whatsappBaseUrl);
      Objects.requireNonNull(apiVersion, "apiVersion");
      if (!VERSION.matcher(apiVersion).matches()) {
        throw new IllegalArgumentException(
            "apiVersion must look like " + DEFAULT_API_VERSION + ", not '" + apiVersion + "'");
      }
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException(
            "requestTimeout must be positive, not " + requestTimeout);
      }
      Objects.requireNonNull(presets, "presets");
      return new ChannelEndpoints(this);
    }

    /** The URL without a trailing '/', or a message saying what is wrong with it. */
    private static String checkBaseUrl(String name, String url) {
      Objects.requireNonNull(url, name);
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(name + " is not a URL: " + e.getReason());
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            name + " must be an http or https URL, not '" + url + "'");
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException(name + " has no host: '" + url + "'");
      }
      // No user info or query: they are where credentials get smuggled into URLs.
      if (uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(
            name + " must be a plain base URL, without user info, query or fragment");
      }
      String trimmed = url;
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      return trimmed;
    }
  }
}
