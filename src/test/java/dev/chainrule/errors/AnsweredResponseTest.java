package dev.chainrule.errors;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * An error that reaches the error handling after the response was answered (a body refused by the body reader whose
 * connection then failed, an answer cut off half-written) writes nothing more: writing into the closed response
 * would only fail again, and the framework would log that second failure with its stack trace. One that reaches it
 * while the response is open is answered as a problem, and a client's broken or timed-out connection is the
 * client's 4xx, not a failure of the service logged with its stack trace.
 */
class AnsweredResponseTest {

    private static ProblemErrorController errorPage() {
        return new ProblemErrorController(new AllowedMethods(
                new DefaultListableBeanFactory().getBeanProvider(RequestMappingHandlerMapping.class)));
    }

    private static MockHttpServletRequest errorDispatch(int status) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/v1/gradients");
        return request;
    }

    @Test
    void theErrorPageWritesNothingIntoAnAnsweredResponse() {
        MockHttpServletResponse answered = new MockHttpServletResponse();
        answered.setStatus(408);
        answered.setCommitted(true);
        assertThat(errorPage().error(errorDispatch(408), answered)).isNull();
        assertThat(answered.getContentAsByteArray()).isEmpty();
    }

    @Test
    void theErrorPageAnswersAProblemWhileTheResponseIsOpen() {
        ResponseEntity<ProblemDetail> p = errorPage().error(errorDispatch(408), new MockHttpServletResponse());
        assertThat(p.getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
        assertThat(p.getBody().getType()).hasToString("/problems/bad-request");
        assertThat(p.getBody().getInstance()).hasToString("/v1/gradients");
    }

    @Test
    void aBodyWhoseReadTimedOutInTheContainerIsA408NotAFailureOfTheService() {
        MockHttpServletRequest dispatch = errorDispatch(500);
        dispatch.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new SocketTimeoutException());
        MockHttpServletResponse response = new MockHttpServletResponse();
        ResponseEntity<ProblemDetail> p = errorPage().error(dispatch, response);
        assertThat(p.getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
        assertThat(p.getBody().getType()).hasToString("/problems/bad-request");
        assertThat(p.getBody().getTitle()).isEqualTo("Request Timeout");
        assertThat(p.getBody().getDetail()).doesNotContain("failure is logged");
        assertThat(response.getHeader("Connection")).isEqualTo("close");
    }

    @Test
    void aConnectionTheClientBrokeIsA400() {
        MockHttpServletRequest dispatch = errorDispatch(500);
        dispatch.setAttribute(RequestDispatcher.ERROR_EXCEPTION,
                new IllegalStateException(new ClientAbortException(new IOException("Connection reset by peer"))));
        ResponseEntity<ProblemDetail> p = errorPage().error(dispatch, new MockHttpServletResponse());
        assertThat(p.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(p.getBody().getType()).hasToString("/problems/bad-request");
    }

    @Test
    void aContainersOwn500IsTheServicesFailureTitledAsItsType() {
        ResponseEntity<ProblemDetail> p = errorPage().error(errorDispatch(500), new MockHttpServletResponse());
        assertThat(p.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(p.getBody().getType()).hasToString("/problems/internal-error");
        assertThat(p.getBody().getTitle()).isEqualTo("Internal error");
    }

    @Test
    void aFailedWriteOnACommittedResponseIsNotAnsweredAgain() throws Exception {
        MockHttpServletResponse committed = new MockHttpServletResponse();
        committed.setCommitted(true);
        ResponseEntity<Object> again = new ProblemDetailsAdvice().handleException(
                new HttpMessageNotWritableException("The response may not be written to once it has been closed"),
                new ServletWebRequest(new MockHttpServletRequest("POST", "/v1/gradients"), committed));
        assertThat(again).isNull();
    }

    @Test
    void aFailedWriteOnAnOpenResponseIsA500Problem() throws Exception {
        ResponseEntity<Object> answer = new ProblemDetailsAdvice().handleException(
                new HttpMessageNotWritableException("cannot write"),
                new ServletWebRequest(new MockHttpServletRequest("POST", "/v1/gradients"), new MockHttpServletResponse()));
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
    }
}
