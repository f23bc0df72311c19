package dev.herald.connectors.channel;

import dev.herald.channel.ChannelAnswer;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.SendRequest;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes one send call to a platform: {@code POST {base}/{version}/{account}/messages} with the
 * account's token as a bearer token, the request's id in {@link
 * MessagingChannel#REQUEST_ID_HEADER}, and the body the channel defines for the request. The answer
 * is read by the channel too; this class knows HTTP, not the platforms.
 *
 * <p>The call is asynchronous ({@link HttpClient#sendAsync}) and its future never completes
 * exceptionally: an I/O error or a timeout is a {@link ChannelAnswer.Failed} with status {@link
 * #NO_ANSWER}, and a request the channel cannot write is one with status {@link #NOT_SENT}. No
 * message made here holds a token.
 */
public final class ChannelClient implements AutoCloseable {

  /** The status of a call that got no HTTP answer (I/O error, timeout): worth trying again. */
  public static final int NO_ANSWER = 0;

  /**
   * The status of a call never made, because the channel cannot write the request (a basis it does
   * not send): the request is wrong, so trying again cannot help.
   */
  public static final int NOT_SENT = -1;

  private final ChannelEndpoints endpoints;
  private final ExecutorService executor;
  private final HttpClient http;

  /** A client with its own small thread pool, which {@link #close()} shuts. */
  public ChannelClient(ChannelEndpoints endpoints) {
    this.endpoints = endpoints;
    this.executor = Executors.newFixedThreadPool(2, daemonThreads("herald-channel-http-"));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2) // HTTP/2 where offered, HTTP/1.1 otherwise
            .connectTimeout(endpoints.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  /** Sends {@code request} for its account with {@code token}; the future never fails. */
  public CompletableFuture<ChannelAnswer> send(SendRequest request, Secret token) {
    MessagingChannel channel = MessagingChannel.of(request.user().channel());
    HttpRequest call;
    try {
      call =
          HttpRequest.newBuilder(
                  endpoints.messagesUri(request.user().channel(), request.user().account()))
              .timeout(endpoints.requestTimeout())
              .header("Authorization", "Bearer " + token.reveal())
              .header("Content-Type", "application/json")
              .header(MessagingChannel.REQUEST_ID_HEADER, request.requestId())
              .POST(HttpRequest.BodyPublishers.ofByteArray(channel.requestBody(request)))
              .build();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new ChannelAnswer.Failed(
              NOT_SENT, null, "the request cannot be sent on " + channel.channel() + ": " + e));
    }
    return http.sendAsync(call, HttpResponse.BodyHandlers.ofByteArray())
        // The request's timeout ends the wait for the headers; this one bounds the body too.
        .orTimeout(endpoints.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (response, error) ->
                error != null ? noAnswer(error) : read(channel, response.statusCode(), response));
  }

  private static ChannelAnswer read(
      MessagingChannel channel, int status, HttpResponse<byte[]> response) {
    try {
      return channel.readAnswer(status, response.body());
    } catch (RuntimeException e) {
      // An answer the channel cannot read is still an answer: no retry, and its status tells
      // whether the platform was healthy.
      return new ChannelAnswer.Failed(status, null, "unreadable answer: " + e.getMessage());
    }
  }

  /** A call that got no answer; the message names the kind of failure, never the request. */
  private static ChannelAnswer noAnswer(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String what;
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      what = "timeout";
    } else if (cause instanceof ConnectException) {
      what = "cannot connect";
    } else {
      what = "I/O error (" + cause.getClass().getSimpleName() + ")";
    }
    return new ChannelAnswer.Failed(NO_ANSWER, null, what);
  }

  /**
   * Shuts the client's executor, when the sink closes: calls still in flight are abandoned. (The
   * JDK's HttpClient has no close() before Java 21; its own selector thread ends once the client is
   * no longer referenced.)
   */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
