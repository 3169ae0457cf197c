package com.pazpaz.secrets.jdbc.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.SocketFactory;

/**
 * A pgjdbc {@code socketFactory} that lets at most {@link #MAX_OPEN} sockets be open at once; the
 * next connect waits until one closes. Tests that open a thousand connections at the same moment
 * use it to stay under the test PostgreSQL's {@code max_connections} while everything before the
 * login (the driver's secret read) still happens concurrently. Pass it as the connection property
 * {@code socketFactory=} {@link #NAME}.
 */
public final class LimitedSocketFactory extends SocketFactory {

  public static final String NAME = LimitedSocketFactory.class.getName();
  public static final int MAX_OPEN = 40;

  private static final Semaphore OPEN = new Semaphore(MAX_OPEN);

  @Override
  public Socket createSocket() throws IOException {
    try {
      OPEN.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a free socket");
    }
    return new Socket() {
      private final AtomicBoolean released = new AtomicBoolean();

      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          if (released.compareAndSet(false, true)) {
            OPEN.release();
          }
        }
      }
    };
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port));
  }

  private Socket connected(InetSocketAddress address) throws IOException {
    Socket socket = createSocket();
    try {
      socket.connect(address);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
