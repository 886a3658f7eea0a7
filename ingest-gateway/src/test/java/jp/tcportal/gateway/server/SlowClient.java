package jp.tcportal.gateway.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client over a raw socket that sends what it is told, when it is told, and can wait for the
 * gateway to answer or hang up: what no HTTP client library lets a test do on purpose.
 */
final class SlowClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private Thread trickler;

  SlowClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** The head of a report request with the given secret and declared body length. */
  static String reportHead(String secret, long contentLength) {
    return "POST /api/monitor/report HTTP/1.1\r\nHost: localhost\r\n"
        + "X-TC-Portal-Secret: "
        + secret
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  /** Sends bytes; false when the gateway already closed the connection. */
  boolean send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  boolean send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /**
   * Reads until the gateway closes the connection or {@code atMost} passed; returns what it sent
   * (perhaps an answer), or throws when the connection is still open.
   */
  String awaitClosed(Duration atMost) throws IOException {
    socket.setSoTimeout((int) atMost.toMillis());
    StringBuilder received = new StringBuilder();
    byte[] chunk = new byte[4096];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        received.append(new String(chunk, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError(
          "the gateway kept the connection open for " + atMost + "; received: " + received);
    } catch (SocketException reset) {
      // Closed with a reset: closed all the same.
    }
    return received.toString();
  }

  /** Reads the status line and head of one answer (without waiting for the connection to close). */
  String readHead(Duration atMost) throws IOException {
    socket.setSoTimeout((int) atMost.toMillis());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.append((char) next);
    }
    return head.toString();
  }

  /** Sends {@code text} every {@code interval} from a thread of its own until the socket fails. */
  void trickle(String text, Duration interval) {
    Thread sender =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted() && send(text)) {
                try {
                  Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "trickle");
    sender.setDaemon(true);
    sender.start();
    trickler = sender;
  }

  @Override
  public void close() throws IOException {
    if (trickler != null) {
      trickler.interrupt();
    }
    socket.close();
  }
}
