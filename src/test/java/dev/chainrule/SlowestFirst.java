package dev.chainrule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order in which test classes start, three at a time (see {@code junit-platform.properties}) so that each lane
 * starts with a slow class and the lanes end together on quick ones.
 *
 * <p>JUnit hands the classes, in this order, to a fork-join pool of {@value #LANES} workers: the worker that forked
 * them runs them from the last backwards, the others take them from the first onwards, and they meet in the middle.
 * So the front is used up {@value #LANES}-1 times as fast as the back, and the slowest are placed at both ends in that
 * proportion: the slowest first, the second slowest last, the next two second and third, the next second to last,
 * and so on; the rest, by name, in the middle. A long class that started near the meeting point would leave the
 * other lanes idle to the end.
 *
 * <p>The slowest are those that took longest in the surefire reports of a whole run
 * ({@code target/surefire-reports/*.xml}), longest first; a class missing from the list only starts nearer the middle.
 */
public class SlowestFirst implements ClassOrderer {

    /** junit-platform.properties' {@code fixed.parallelism}. */
    static final int LANES = 3;

    private static final List<String> SLOWEST = List.of("PlaygroundBrowserTest",
            "PlaygroundLayoutBrowserTest", "FuzzTest", "TensorGraphApiTest", "CourseworkLayersApiTest",
            "SlowLinkOverSocketTest", "SlowReadersOverSocketTest", "SlowClientsOverSocketTest", "CostModelPropertyTest",
            "AnswerDigestsTest", "BoundedErrorsOverHttpTest", "GradientsApiTest", "DeadlineOverHttpTest",
            "VariantsApiTest", "RequestThreadsOverHttpTest", "GracefulShutdownTest", "GraphApiTest", "GradeApiTest");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        List<ClassDescriptor> byName = new ArrayList<>(context.getClassDescriptors());
        byName.sort(Comparator.comparing(d -> d.getTestClass().getName()));
        List<ClassDescriptor> front = new ArrayList<>();
        List<ClassDescriptor> back = new ArrayList<>();
        List<ClassDescriptor> middle = new ArrayList<>();
        for (String slow : SLOWEST) {
            byName.stream().filter(d -> d.getTestClass().getSimpleName().equals(slow)).findFirst()
                    .ifPresent(d -> (front.size() <= (LANES - 1) * back.size() ? front : back).add(d));
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
