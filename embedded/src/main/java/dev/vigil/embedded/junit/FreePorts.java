package dev.vigil.embedded.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Loopback port helpers for the embedded platform and tests. It has no JUnit dependency: the
 * embedded Kafka broker uses it to pick its listener ports up front.
 *
 * <p>A port returned by {@link #pick()} is free at the time of the call only; prefer letting the
 * server bind port 0 and reading the bound port back when the server supports it.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** The IPv4 loopback address every embedded service binds to. */
    public static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot build the 127.0.0.1 address", e);
        }
    }

    /** A port on 127.0.0.1 that was free when this method returned. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /** True when nothing listens on {@code port} of 127.0.0.1 (a listener could be bound there now). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
