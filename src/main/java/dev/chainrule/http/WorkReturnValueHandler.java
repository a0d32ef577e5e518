package dev.chainrule.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Answers the {@link Work} a handler returns: through {@link Answers} (cost checked, computed and built in the gate),
 * then written straight to the response with its length, media type and {@code Server-Timing}, a large answer paced
 * ({@link Written.Pacer}). The media type was settled when the request was mapped (the handler's {@code produces}
 * against {@code Accept}), so nothing is negotiated again here. Installed ahead of Spring's own return value handlers
 * by {@link GuardedEndpoints}.
 */
final class WorkReturnValueHandler implements HandlerMethodReturnValueHandler {

    private final Answers answers;
    private final Written.Pacer pacer;

    WorkReturnValueHandler(Answers answers, Written.Pacer pacer) {
        this.answers = answers;
        this.pacer = pacer;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        // the declared type, or for a handler declared to return Object the value's own
        return Work.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer mav,
            NativeWebRequest webRequest) throws Exception {
        mav.setRequestHandled(true);
        if (!(value instanceof Work work)) {
            throw new IllegalStateException(returnType.getExecutable() + " returned no work");
        }
        ServletWebRequest request = (ServletWebRequest) webRequest;
        Answers.Answered answered = answers.answer(work, request);
        try {
            HttpServletRequest servletRequest = request.getRequest();
            HttpServletResponse response = request.getResponse();
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(answered.type().toString());
            response.setContentLength(answered.body().length());
            response.setHeader(Answers.SERVER_TIMING, answered.timing());
            pacer.write(answered.body(), response.getOutputStream(), servletRequest);
        } finally {
            answered.release();
        }
    }
}
