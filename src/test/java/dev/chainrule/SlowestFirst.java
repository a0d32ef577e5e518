package dev.chainrule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order in which test classes start, two at a time (see {@code junit-platform.properties}) so that each lane
 * starts with a slow class and the two lanes end together on quick ones.
 *
 * <p>JUnit hands the classes, in this order, to a fork-join pool of two workers: the worker that forked them runs
 * them from the last backwards, the other takes them from the first onwards, and the two meet in the middle. So the
 * slowest are placed at both ends, alternately: the slowest first, the second slowest last, the third second, the
 * fourth second to last, and so on; the rest, by name, in the middle. A long class that started near the meeting
 * point would leave the other lane idle to the end.
 *
 * <p>The slowest are those that took longest in the surefire reports of a whole run
 * ({@code target/surefire-reports/*.xml}), longest first; a class missing from the list only starts nearer the middle.
 */
public class SlowestFirst implements ClassOrderer {

    private static final List<String> SLOWEST = List.of("PlaygroundBrowserTest", "FuzzTest",
            "CourseworkLayersApiTest", "SlowLinkOverSocketTest", "SlowClientsOverSocketTest", "TensorGraphApiTest",
            "SlowReadersOverSocketTest", "AnswerDigestsTest", "DeadlineOverHttpTest", "VariantsApiTest",
            "BoundedErrorsOverHttpTest", "GradientsApiTest", "CostModelPropertyTest", "RequestThreadsOverHttpTest",
            "GracefulShutdownTest", "GraphApiTest", "GradeApiTest");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        List<ClassDescriptor> byName = new ArrayList<>(context.getClassDescriptors());
        byName.sort(Comparator.comparing(d -> d.getTestClass().getName()));
        List<ClassDescriptor> front = new ArrayList<>();
        List<ClassDescriptor> back = new ArrayList<>();
        List<ClassDescriptor> middle = new ArrayList<>();
        for (String slow : SLOWEST) {
            byName.stream().filter(d -> d.getTestClass().getSimpleName().equals(slow)).findFirst()
                    .ifPresent(d -> (front.size() <= back.size() ? front : back).add(d));
        }
        byName.stream().filter(d -> !front.contains(d) && !back.contains(d)).forEach(middle::add);
        List<ClassDescriptor> order = new ArrayList<>(front);
        order.addAll(middle);
        for (int i = back.size() - 1; i >= 0; i--) {
            order.add(back.get(i));
        }
        context.getClassDescriptors().sort(Comparator.comparingInt(order::indexOf));
    }
}
