package dev.chainrule.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Makes {@link Work} the only way a handler of the service computes, once every bean exists and before the server
 * takes a request:
 * <ul>
 * <li>the {@link WorkReturnValueHandler} goes ahead of Spring's own return value handlers (which would otherwise
 * write a {@code @RestController}'s {@code Work} as a JSON object);</li>
 * <li>every handler of the service that a {@code POST} (or {@code PUT}, {@code PATCH}, {@code DELETE}) reaches must
 * be declared to return {@code Work}: one that returns anything else stops the service from starting, naming it.
 * So a new endpoint cannot compute around the cost model, the gate, the deadline and the bounded answer buffer.
 * The error controller, which answers for every method, computes nothing and is left alone.</li>
 * </ul>
 */
final class GuardedEndpoints implements SmartInitializingSingleton {

    private static final Set<RequestMethod> COMPUTING = Set.of(RequestMethod.POST, RequestMethod.PUT,
            RequestMethod.PATCH, RequestMethod.DELETE);
    private static final String OURS = "dev.chainrule.";

    private final ListableBeanFactory beans;
    private final WorkReturnValueHandler handler;

    GuardedEndpoints(ListableBeanFactory beans, WorkReturnValueHandler handler) {
        this.beans = beans;
        this.handler = handler;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (RequestMappingHandlerAdapter adapter : beans.getBeansOfType(RequestMappingHandlerAdapter.class).values()) {
            List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
            handlers.add(handler);
            handlers.addAll(adapter.getReturnValueHandlers());
            adapter.setReturnValueHandlers(handlers);
        }
        List<String> unguarded = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping : beans.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
                String why = unguarded(e.getKey(), e.getValue());
                if (why != null) {
                    unguarded.add(why);
                }
            }
        }
        if (!unguarded.isEmpty()) {
            throw new IllegalStateException("Every handler a POST, PUT, PATCH or DELETE reaches returns "
                    + Work.class.getName() + ", so that its computation is priced, gated and bounded: "
                    + String.join("; ", unguarded));
        }
    }

    /** Why this handler breaks the rule; null when it keeps it. */
    static String unguarded(RequestMappingInfo info, HandlerMethod handler) {
        Class<?> type = handler.getBeanType();
        if (!type.getName().startsWith(OURS) || ErrorController.class.isAssignableFrom(type)) {
            return null;
        }
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        boolean computes = methods.isEmpty() || methods.stream().anyMatch(COMPUTING::contains);
        if (!computes || Work.class.isAssignableFrom(handler.getMethod().getReturnType())) {
            return null;
        }
        return info + " is answered by " + type.getSimpleName() + "." + handler.getMethod().getName() + ", which returns "
                + handler.getMethod().getReturnType().getSimpleName();
    }
}
