package dev.chainrule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages stack: reading the imports of every file under src/main/java (and any fully qualified
 * {@code dev.chainrule.…} name in its code), each package uses only those the table allows it, and the plain-Java
 * packages use nothing outside the JDK and Commons Math.
 */
class ArchitectureTest {

    /**
     * Bottom to top: what each package of {@code dev.chainrule} may import besides itself. An entry without a dot is a
     * package (all of it); {@code pkg.Class} is that one class of it (how one feature uses another). "plain" packages
     * import nothing but the JDK and Commons Math; the others may also import Spring, Jackson, Tomcat and the like.
     */
    private static final String MAY_IMPORT = """
            (root)     | spring | engine network render budget config errors wire http
            engine     | plain  |
            network    | plain  | engine
            render     | plain  | engine errors.FieldError errors.InvalidRequestException
            budget     | plain  | engine network
            errors     | spring | engine
            config     | spring | engine network budget errors
            wire       | spring | engine errors
            http       | spring | engine budget config errors wire
            examples   | spring | engine network render budget config errors wire http
            graph      | spring | engine network render budget config errors wire http gradients.GradientCheckResponse
            gradients  | spring | engine network render budget config errors wire http examples.Examples
            variants   | spring | engine network render budget config errors wire http examples.Examples \
            gradients.ProblemReader graph.GraphReader graph.GraphSolver
            training   | spring | engine network render budget config errors wire http gradients.ProblemReader \
            gradients.Warnings
            grading    | spring | engine network render budget config errors wire http gradients.ProblemReader \
            graph.GraphReader graph.GraphSolver variants.Template variants.Variants variants.Draws
            playground | spring | engine network render budget config errors wire http
            """;

    private static final List<String> PLAIN_LIBRARIES = List.of("java.", "org.apache.commons.math3.");

    private static final Path MAIN = Path.of("src/main/java/dev/chainrule");

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;",
            Pattern.MULTILINE);

    private static final Pattern OWN_NAME = Pattern.compile("\\bdev\\.chainrule\\.(\\w+)\\.([A-Z]\\w*)");

    private record Rule(boolean plain, Set<String> allowed) {
    }

    private static Map<String, Rule> rules() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String row : MAY_IMPORT.strip().split("\n")) {
            String[] cells = row.split("\\|", -1);
            String[] allowed = cells[2].strip().isEmpty() ? new String[0] : cells[2].strip().split("\\s+");
            rules.put(cells[0].strip(), new Rule(cells[1].strip().equals("plain"), Set.of(allowed)));
        }
        return rules;
    }

    @Test
    void everyPackageImportsOnlyWhatTheTableAllows() throws IOException {
        Map<String, Rule> rules = rules();
        List<String> offences = new ArrayList<>();
        for (Path file : javaFiles()) {
            String pkg = packageOf(file);
            Rule rule = rules.get(pkg);
            if (rule == null) {
                offences.add(file + ": package " + pkg + " has no row in ArchitectureTest.MAY_IMPORT");
                continue;
            }
            String source = Files.readString(file);
            Set<String> used = new TreeSet<>();
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                used.add(imports.group(1));
            }
            Matcher names = OWN_NAME.matcher(withoutComments(source));
            while (names.find()) {
                used.add(names.group());
            }
            for (String name : used) {
                String why = offence(pkg, rule, name);
                if (why != null) {
                    offences.add(file + " imports " + name + ": " + why);
                }
            }
        }
        assertThat(offences).as("imports against the stacking of the packages").isEmpty();
    }

    @Test
    void everyPackageSaysWhatItOwnsAndMayImport() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                boolean hasSource;
                try (Stream<Path> files = Files.list(dir)) {
                    hasSource = files.anyMatch(f -> f.toString().endsWith(".java"));
                }
                Path info = dir.resolve("package-info.java");
                if (hasSource && (!Files.exists(info) || !Files.readString(info).contains("May import"))) {
                    missing.add(dir + ": no package-info.java saying what the package may import");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    /** Why {@code name}, used in package {@code pkg}, breaks the rule; null when it may. */
    private static String offence(String pkg, Rule rule, String name) {
        if (!name.startsWith("dev.chainrule.")) {
            boolean library = PLAIN_LIBRARIES.stream().anyMatch(name::startsWith);
            return rule.plain() && !library ? pkg + " is plain Java: only the JDK and Commons Math" : null;
        }
        String[] parts = name.substring("dev.chainrule.".length()).split("\\.");
        String target = parts.length == 1 || Character.isUpperCase(parts[0].charAt(0)) ? "(root)" : parts[0];
        if (target.equals(pkg)) {
            return null;
        }
        String type = target + "." + (parts.length > 1 ? parts[1] : parts[0]);
        if (rule.allowed().contains(target) || rule.allowed().contains(type)) {
            return null;
        }
        return pkg + (rule.allowed().isEmpty() ? " may import nothing of dev.chainrule"
                : " may import only " + String.join(", ", new TreeSet<>(rule.allowed())));
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String packageOf(Path file) {
        Path dir = MAIN.relativize(file).getParent();
        return dir == null ? "(root)" : String.join(".", Arrays.stream(dir.toString().split("[/\\\\]")).toList());
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }
}
