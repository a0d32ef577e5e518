package dev.chainrule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order in which test classes start, three at a time (see {@code junit-platform.properties}): two lanes for the
 * classes that compute, one for those that wait on the clock, each starting with its slowest so that the lanes end
 * together on quick ones.
 *
 * <p>JUnit hands the classes, in this order, to a fork-join pool of three workers: the worker that forked them runs
 * them from the last backwards, the two others take them from the first onwards, and they meet in the middle. So the
 * slowest of the classes that compute come first, longest first, for the two lanes that start at the front; those
 * that mostly wait (slow clients over sockets, deadlines, shutdown) come last, for the third lane, the longest at the
 * very end, where it starts: while they wait, the other two keep both cores busy. The rest, by name, in the middle.
 * A long class that started near the meeting point would leave the other lanes idle to the end.
 *
 * <p>The times are those of the surefire reports of a whole run ({@code target/surefire-reports/*.xml}); a class
 * missing from the lists only starts nearer the middle.
 */
public class SlowestFirst implements ClassOrderer {

    /** The slowest of the classes that compute, longest first. */
    private static final List<String> SLOWEST = List.of("PlaygroundLayoutBrowserTest", "FuzzTest",
            "PlaygroundBrowserTest", "TensorGraphApiTest", "CourseworkLayersApiTest", "CostModelPropertyTest",
            "AnswerDigestsTest", "GradientsApiTest", "VariantsApiTest", "GraphApiTest", "GradeApiTest");

    /** The slowest of the classes that mostly wait on the clock, longest first. */
    private static final List<String> WAITING = List.of("SlowLinkOverSocketTest", "SlowReadersOverSocketTest",
            "SlowClientsOverSocketTest", "BoundedErrorsOverHttpTest", "DeadlineOverHttpTest",
            "RequestThreadsOverHttpTest", "GracefulShutdownTest");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        List<ClassDescriptor> byName = new ArrayList<>(context.getClassDescriptors());
        byName.sort(Comparator.comparing(d -> d.getTestClass().getName()));
        List<ClassDescriptor> front = new ArrayList<>();
        List<ClassDescriptor> back = new ArrayList<>();
        List<ClassDescriptor> middle = new ArrayList<>();
        SLOWEST.forEach(name -> named(byName, name).ifPresent(front::add));
        WAITING.forEach(name -> named(byName, name).ifPresent(back::add));
        byName.stream().filter(d -> !front.contains(d) && !back.contains(d)).forEach(middle::add);
        List<ClassDescriptor> order = new ArrayList<>(front);
        order.addAll(middle);
        for (int i = back.size() - 1; i >= 0; i--) {
            order.add(back.get(i));
        }
        context.getClassDescriptors().sort(Comparator.comparingInt(order::indexOf));
    }

    private static Optional<ClassDescriptor> named(List<ClassDescriptor> classes, String simpleName) {
        return classes.stream().filter(d -> d.getTestClass().getSimpleName().equals(simpleName)).findFirst();
    }
}
