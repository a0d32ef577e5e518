package dev.chainrule.http;

import dev.chainrule.errors.ProblemReportValve;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Tomcat as a hostile client meets it. The timeouts themselves are properties ({@code server.tomcat.*} in
 * application.properties); here is what has no property:
 * <ul>
 * <li>{@code Expect: 100-continue} is answered {@code 100 Continue} only when the body is actually read, so a body
 * refused by its declared length (413) is refused without first being invited;</li>
 * <li>the container's own error page is {@link ProblemReportValve} (problem+json), in place of Tomcat's HTML one.</li>
 * </ul>
 * Ordered last, so that it replaces the error valve Spring Boot adds.
 */
@Component
class ServerHardening implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setContinueResponseTiming("onRead");
            }
        });
        factory.addContextCustomizers(context -> {
            var host = context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemReportValve());
            if (host instanceof org.apache.catalina.core.StandardHost standard) {
                standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
