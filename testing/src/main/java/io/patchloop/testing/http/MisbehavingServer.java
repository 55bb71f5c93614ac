package io.patchloop.testing.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real TCP server on loopback that misbehaves the ways a webhook receiver, SMTP server or
 * anything else an outbound call reaches can: it never answers, answers endlessly, answers one
 * byte at a time, or is no HTTP server at all. Counts what it wrote, and notices when the caller
 * hangs up, so a test can show the caller stopped reading.
 */
public final class MisbehavingServer implements AutoCloseable {

  public enum Behaviour {
    /** Accepts, reads the request, never answers (an SMTP client waits for a greeting that never comes). */
    SILENT,
    /** {@code 200} with {@code Content-Length: 100000000}, then one byte every 0.5 s. */
    TRICKLE,
    /** {@code 500} with an endless chunked body. */
    FLOOD,
    /** An SSH server's banner: no HTTP at all. */
    BANNER,
    /** One byte every 0.5 s from the first byte on, never a line end: every read gets something, none gets a line. */
    DRIP
  }

  public static final String BANNER_LINE = "SSH-2.0-OpenSSH_9.6 secret-build-7";

  private final Behaviour behaviour;
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final CountDownLatch hungUp = new CountDownLatch(1);
  private volatile boolean closed;

  /** For a static field of a test class, where a checked exception cannot be thrown. */
  public static MisbehavingServer started(Behaviour behaviour) {
    try {
      return new MisbehavingServer(behaviour);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public MisbehavingServer(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "misbehaving-" + behaviour.name().toLowerCase());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Bytes of answer written so far, on all connections. */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  public long connections() {
    return connections.get();
  }

  /** Waits until a caller closed its connection (a write failed or the request stream ended). */
  public boolean awaitHangUp(long millis) throws InterruptedException {
    return hungUp.await(millis, TimeUnit.MILLISECONDS);
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        sockets.add(s);
        Thread t = new Thread(() -> serve(s), "misbehaving-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      Thread drain = new Thread(() -> drain(s), "misbehaving-drain");
      drain.setDaemon(true);
      drain.start();
      OutputStream out = s.getOutputStream();
      switch (behaviour) {
        case SILENT -> drain.join();
        case TRICKLE -> {
          write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000000\r\n\r\n");
          while (!closed) {
            write(out, "x");
            Thread.sleep(500);
          }
        }
        case FLOOD -> {
          write(out, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
          // control characters in the body: what an admin is shown of it must come out printable
          String data = "flood\u0007\u001b[31m ".repeat(700);
          String chunk = Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
          while (!closed) {
            write(out, chunk);
          }
        }
        case DRIP -> {
          while (!closed) {
            write(out, "2");
            Thread.sleep(500);
          }
        }
        case BANNER -> {
          write(out, BANNER_LINE + "\r\n");
          drain.join();
        }
      }
    } catch (IOException e) {
      hungUp.countDown(); // the caller closed the connection under a write
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    out.write(bytes);
    out.flush();
    bytesWritten.addAndGet(bytes.length);
  }

  private void drain(Socket s) {
    try {
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[8192];
      while (in.read(buffer) >= 0) {
        // the request is not looked at
      }
      hungUp.countDown(); // the caller closed its side
    } catch (IOException e) {
      hungUp.countDown();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
