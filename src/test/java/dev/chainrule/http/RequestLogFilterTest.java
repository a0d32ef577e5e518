package dev.chainrule.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * One log line per request, also for a request that went asynchronous and whose completion is reported twice. Alone:
 * it sets the level and appenders of a logger of the whole test JVM, which a context starting meanwhile would reset.
 */
@Isolated
class RequestLogFilterTest {

    private final Logger requests = (Logger) LoggerFactory.getLogger("dev.chainrule.requests");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final List<Appender<ILoggingEvent>> others = new ArrayList<>();
    private Level level;
    private boolean additive;

    /**
     * At INFO whatever an earlier test's context left it at (the tests' properties turn request lines down), and into
     * this list only: an earlier context's {@code AsyncRequestLog} writes the lines to the process's standard output
     * itself, past the test runner, which reads such lines as a corrupted channel.
     */
    @BeforeEach
    void listen() {
        level = requests.getLevel();
        additive = requests.isAdditive();
        requests.iteratorForAppenders().forEachRemaining(others::add);
        others.forEach(requests::detachAppender);
        requests.setAdditive(false);
        requests.setLevel(Level.INFO);
        lines.start();
        requests.addAppender(lines);
    }

    @AfterEach
    void stop() {
        requests.detachAppender(lines);
        others.forEach(requests::addAppender);
        requests.setAdditive(additive);
        requests.setLevel(level);
    }

    @Test
    void anAsynchronousRequestIsLoggedOnceWhenItsCompletionIsReportedTwice() throws Exception {
        RequestLogFilter filter = filter(new DefaultListableBeanFactory());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/gradients");
        request.setAsyncSupported(true);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> req.startAsync()); // the body is read without a thread

        assertThat(lines.list).isEmpty();                                   // logged when it completes, not before
        MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
        for (int i = 0; i < 2; i++) {
            for (AsyncListener listener : async.getListeners()) {
                listener.onComplete(new AsyncEvent(async, request, response));
            }
        }
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("POST /v1/gradients 200 ")
                .endsWith("id=" + response.getHeader(RequestLogFilter.HEADER));
    }

    @Test
    void aRequestAnsweredOnItsThreadIsLoggedOnce() throws Exception {
        RequestLogFilter filter = filter(new DefaultListableBeanFactory());
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/examples"), response, (req, res) -> { });
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("GET /v1/examples 200 ");
    }

    @Test
    void anAnswerCutOffForReadingTooSlowlySaysSo() throws Exception {
        RequestLogFilter filter = filter(new DefaultListableBeanFactory());
        filter.doFilter(new MockHttpServletRequest("POST", "/v1/gradients"), new MockHttpServletResponse(),
                (req, res) -> req.setAttribute(Written.CUT_OFF, "read 16384 of 5000000 bytes in 9000 ms, under 8192 bytes a second"));
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("POST /v1/gradients 200 ")
                .endsWith(" cut off: the client read 16384 of 5000000 bytes in 9000 ms, under 8192 bytes a second");
    }

    @Test
    void theServicesRequestsToItselfAreNotLoggedButAClientsWithTheHeaderIs() throws Exception {
        SelfRequests self = new SelfRequests();
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("selfRequests", self);
        RequestLogFilter filter = filter(beans);

        MockHttpServletRequest ours = new MockHttpServletRequest("POST", "/v1/gradients");
        ours.addHeader(SelfRequests.HEADER, self.token());
        filter.doFilter(ours, new MockHttpServletResponse(), (req, res) -> { });
        assertThat(lines.list).isEmpty();

        MockHttpServletRequest guessed = new MockHttpServletRequest("POST", "/v1/gradients");
        guessed.addHeader(SelfRequests.HEADER, "0".repeat(32));
        filter.doFilter(guessed, new MockHttpServletResponse(), (req, res) -> { });
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("POST /v1/gradients 200 ");
        assertThat(new SelfRequests().token()).as("a token per process").isNotEqualTo(self.token()).hasSize(32);
    }

    private static RequestLogFilter filter(DefaultListableBeanFactory beans) {
        return new RequestLogFilter(beans.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class),
                beans.getBeanProvider(SelfRequests.class));
    }
}
