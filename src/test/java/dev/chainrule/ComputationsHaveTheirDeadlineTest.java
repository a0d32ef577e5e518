package dev.chainrule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.Type;

/**
 * The service computes only under a deadline it is handed, so only inside the compute gate: reading the compiled
 * classes of every package above the engine and the network (the service's own code), no method calls an engine,
 * network or solver method that has an overload taking a {@code Deadline} without passing one, and none uses
 * {@code Deadline.NONE}. The plain-Java packages keep their deadline-free overloads for tools and tests, and a
 * deadline-free overload may hand {@code NONE} to its sibling (its own callers are what is checked).
 */
class ComputationsHaveTheirDeadlineTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final String DEADLINE = "Ldev/chainrule/engine/Deadline;";
    private static final String DEADLINE_TYPE = "dev/chainrule/engine/Deadline";
    /** Plain-Java packages that define computations and their deadline-free overloads. */
    private static final Set<String> LIBRARIES = Set.of("engine", "network", "budget", "render");

    private record Method(String name, String descriptor, int access) {
        boolean takesDeadline() {
            return descriptor.contains(DEADLINE);
        }
    }

    @Test
    void noComputationOfTheServiceRunsWithoutItsDeadline() throws IOException {
        Map<String, List<Method>> methods = new HashMap<>();
        Map<String, byte[]> classes = new HashMap<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/chainrule"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                byte[] bytes;
                try (InputStream in = Files.newInputStream(file)) {
                    bytes = in.readAllBytes();
                }
                ClassReader reader = new ClassReader(bytes);
                String name = reader.getClassName();
                classes.put(name, bytes);
                List<Method> own = new ArrayList<>();
                reader.accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                            String[] exceptions) {
                        own.add(new Method(method, descriptor, access));
                        return null;
                    }
                }, ClassReader.SKIP_CODE);
                methods.put(name, own);
            }
        }
        assertThat(methods).as("compiled classes under " + CLASSES).isNotEmpty();
        List<String> offences = new ArrayList<>();
        classes.forEach((name, bytes) -> {
            String pkg = name.substring("dev/chainrule/".length());
            pkg = pkg.contains("/") ? pkg.substring(0, pkg.indexOf('/')) : "(root)";
            if (LIBRARIES.contains(pkg)) {
                return;
            }
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                        String[] exceptions) {
                    String where = name.replace('/', '.') + "." + method;
                    boolean overload = hasDeadlineSibling(methods.get(name), method, descriptor);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitFieldInsn(int opcode, String owner, String field, String type) {
                            if (owner.equals(DEADLINE_TYPE) && field.equals("NONE") && !overload) {
                                offences.add(where + " uses Deadline.NONE");
                            }
                        }

                        @Override
                        public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor,
                                boolean isInterface) {
                            if (!owner.startsWith("dev/chainrule/") || overload) {
                                return;
                            }
                            if (hasDeadlineSibling(methods.get(owner), called, calledDescriptor)) {
                                offences.add(where + " calls " + owner.replace('/', '.') + "." + called
                                        + " without a deadline, though an overload takes one");
                            }
                        }
                    };
                }
            }, 0);
        });
        assertThat(offences).as("computations outside the gate's deadline").isEmpty();
    }

    /**
     * True when {@code descriptor} takes no deadline and {@code owner} has a method (or constructor) {@code name}, not
     * private, that takes the same parameters and a deadline: the same computation with its deadline.
     */
    private static boolean hasDeadlineSibling(List<Method> owner, String name, String descriptor) {
        if (owner == null || descriptor.contains(DEADLINE)) {
            return false;
        }
        List<Type> without = List.of(Type.getArgumentTypes(descriptor));
        for (Method m : owner) {
            if (m.name().equals(name) && m.takesDeadline() && (m.access() & Opcodes.ACC_PRIVATE) == 0) {
                List<Type> args = new ArrayList<>(List.of(Type.getArgumentTypes(m.descriptor())));
                args.removeIf(t -> t.getDescriptor().equals(DEADLINE));
                if (args.equals(without)) {
                    return true;
                }
            }
        }
        return false;
    }
}
