package dev.chainrule;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order in which test classes start, two at a time (see {@code junit-platform.properties}): the slowest first,
 * then the rest by name. Each lane takes the next class when it is done with one, so a long class that started last
 * would leave the other lane idle to the end. The slowest are those that took longest in the surefire reports
 * ({@code target/surefire-reports/*.xml}), longest first; a class missing from the list only starts later.
 */
public class SlowestFirst implements ClassOrderer {

    private static final List<String> SLOWEST = List.of("PlaygroundBrowserTest", "AnswerDigestsTest", "FuzzTest",
            "CostModelPropertyTest", "BoundedErrorsOverHttpTest", "GraphApiTest", "GradeApiTest",
            "SlowReadersOverSocketTest", "SlowLinkOverSocketTest", "SlowClientsOverSocketTest", "GradientsApiTest");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.<ClassDescriptor>comparingInt(SlowestFirst::rank)
                .thenComparing(d -> d.getTestClass().getName()));
    }

    private static int rank(ClassDescriptor descriptor) {
        int i = SLOWEST.indexOf(descriptor.getTestClass().getSimpleName());
        return i < 0 ? SLOWEST.size() : i;
    }
}
