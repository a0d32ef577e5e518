package dev.chainrule.http;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Whether the client of a request is still connected, asked while its answer is being computed: a non-blocking read
 * on Tomcat's socket sees the end of the stream once the client has closed it (a pipelined request's bytes stay in
 * Tomcat's buffer for the next read). The Servlet API has no such question, so this reaches into Tomcat's request
 * (three fields, looked up once); where that fails, the client counts as connected and only the deadline applies.
 */
final class ClientProbe {

    private static final Field FACADE_REQUEST = field("org.apache.catalina.connector.RequestFacade", "request");
    private static final Field HOOK = field("org.apache.coyote.Request", "hook");
    private static final Field SOCKET = field("org.apache.coyote.AbstractProcessor", "socketWrapper");

    private ClientProbe() {
    }

    /** True once the client of {@code request} has gone; always false where that cannot be known. */
    static BooleanSupplier gone(ServletRequest request) {
        SocketWrapperBase<?> socket = socket(request);
        if (socket == null) {
            return () -> false;
        }
        return () -> {
            if (socket.isClosed()) {
                return true;
            }
            try {
                socket.isReadyForRead();
                return false;
            } catch (EOFException e) {
                return true;
            } catch (IOException | RuntimeException e) {
                return socket.isClosed();
            }
        };
    }

    private static SocketWrapperBase<?> socket(ServletRequest request) {
        if (FACADE_REQUEST == null || HOOK == null || SOCKET == null) {
            return null;
        }
        ServletRequest r = request;
        while (r instanceof ServletRequestWrapper w) {
            r = w.getRequest();
        }
        try {
            if (!FACADE_REQUEST.getDeclaringClass().isInstance(r)) {
                return null;
            }
            Object catalina = FACADE_REQUEST.get(r);
            if (!(catalina instanceof org.apache.catalina.connector.Request c)) {
                return null;
            }
            Object hook = HOOK.get(c.getCoyoteRequest());
            if (hook == null || !SOCKET.getDeclaringClass().isInstance(hook)) {
                return null;
            }
            return SOCKET.get(hook) instanceof SocketWrapperBase<?> s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field field(String className, String name) {
        try {
            Field f = Class.forName(className, false, ClientProbe.class.getClassLoader()).getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
