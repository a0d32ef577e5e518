package dev.chainrule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files agree with each other and with the service: {@code deploy/k8s/*.yaml} parsed into fabric8's
 * Kubernetes model objects, the {@code Dockerfile} (EXPOSE, HEALTHCHECK, USER), {@code docker-compose.yml},
 * {@code application.properties} (server.port, health probes) and the pom's version; and every probe path they name
 * answers UP on the running service.
 */
class DeploymentManifestsTest extends ApiTest {

    private static final Path K8S = Path.of("deploy/k8s");
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();

    @Test
    void everyManifestParsesIntoAKubernetesObject() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(K8S)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("deployment.yaml", "hpa.yaml", "service.yaml");
        Map<String, Class<?>> expected = Map.of("deployment.yaml", Deployment.class, "service.yaml", Service.class,
                "hpa.yaml", HorizontalPodAutoscaler.class);
        for (Path file : files) {
            Object parsed;
            try (InputStream in = Files.newInputStream(file)) {
                parsed = KUBE.unmarshal(in);
            }
            assertThat(parsed).as(file.toString()).isInstanceOf(expected.get(file.getFileName().toString()));
            assertNoUnknownFields(file + ": " + parsed.getClass().getSimpleName(), parsed);
        }
    }

    /** A misspelt field (readinesProbe) lands in a model object's additionalProperties: none may be there. */
    private static void assertNoUnknownFields(String where, Object node) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertNoUnknownFields(where + "[" + i + "]", list.get(i));
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> assertNoUnknownFields(where + "." + k, v));
            return;
        }
        if (!(node instanceof io.fabric8.kubernetes.api.model.KubernetesResource)) {
            return;
        }
        for (java.lang.reflect.Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as("unknown fields in " + where).isNullOrEmpty();
            } else if (value != null) {
                assertNoUnknownFields(where + "." + getter.getName().substring(3), value);
            }
        }
    }

    @Test
    void containerPortIsTheDockerfilesExposeAndTheDefaultServerPort() throws IOException {
        Container c = container();
        assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(exposedPort());
        assertThat(exposedPort()).isEqualTo(defaultServerPort());
    }

    @Test
    void probesUseTheHealthGroupsOnTheContainerPort() throws IOException {
        Container c = container();
        assertThat(path(c.getLivenessProbe())).isEqualTo("/actuator/health/liveness");
        assertThat(path(c.getStartupProbe())).isEqualTo("/actuator/health/liveness");
        assertThat(path(c.getReadinessProbe())).isEqualTo("/actuator/health/readiness");
        for (Probe probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
            assertThat(portNumber(c, probe.getHttpGet().getPort())).isEqualTo(exposedPort());
        }
        assertThat(appProperties().getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dockerAndComposeHealthChecksUseTheReadinessProbe() throws IOException {
        String readiness = path(container().getReadinessProbe());
        Matcher healthcheck = Pattern.compile("(?m)^HEALTHCHECK .*CMD .*http://127\\.0\\.0\\.1:\\$\\{PORT:-(\\d+)}(/\\S+?)\"")
                .matcher(dockerfile());
        assertThat(healthcheck.find()).as("HEALTHCHECK in Dockerfile").isTrue();
        assertThat(Integer.parseInt(healthcheck.group(1))).isEqualTo(exposedPort());
        assertThat(healthcheck.group(2)).isEqualTo(readiness);

        String composeTest = String.join(" ", (List<String>) ((Map<String, Object>) composeService("chainrule")
                .get("healthcheck")).get("test"));
        assertThat(composeTest).contains("http://127.0.0.1:" + exposedPort() + readiness);
        int port = exposedPort();
        assertThat((List<String>) composeService("chainrule").get("ports")).anyMatch(p -> p.endsWith(":" + port));
    }

    @Test
    void imageNamesAgreeWithComposeAndThePomVersion() throws IOException {
        String image = container().getImage();
        assertThat(image).isEqualTo(composeService("chainrule").get("image"))
                .isEqualTo(composeService("replica").get("image"))
                .isEqualTo("chainrule:" + pomVersion());
        assertThat(dockerfile()).contains("docker build -t " + image + " .");
    }

    @Test
    void runsAsTheDockerfilesNonRootUser() throws IOException {
        String dockerfile = dockerfile();
        Matcher uid = Pattern.compile("useradd [^\\n]*--uid (\\d+)").matcher(dockerfile);
        assertThat(uid.find()).isTrue();
        assertThat(dockerfile).containsPattern("(?m)^USER chainrule$");
        Deployment d = load(K8S.resolve("deployment.yaml"), Deployment.class);
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                .isEqualTo(Long.parseLong(uid.group(1)));
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    @Test
    void requestsAndLimitsAreSetAndTheHeapFitsTheLimit() throws IOException {
        Container c = container();
        Map<String, Quantity> requests = c.getResources().getRequests();
        Map<String, Quantity> limits = c.getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        assertThat(Quantity.getAmountInBytes(requests.get("memory")))
                .isLessThanOrEqualTo(Quantity.getAmountInBytes(limits.get("memory")));
        assertThat(Quantity.getAmountInBytes(limits.get("memory")).longValue()).isGreaterThanOrEqualTo(512L << 20);
        assertThat(dockerfile()).containsPattern("ENTRYPOINT \\[\"java\", \"-XX:MaxRAMPercentage=\\d+\"");
    }

    /** Out of memory the JVM exits and is restarted, in the image, under compose and under Kubernetes (issue 27). */
    @Test
    void outOfMemoryEndsTheProcessEverywhere() throws IOException {
        assertThat(dockerfile()).containsPattern("(?m)^ENTRYPOINT \\[\"java\", [^\\]]*\"-XX:\\+ExitOnOutOfMemoryError\"");
        assertThat(container().getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
            assertThat(e.getValue()).contains("-XX:+ExitOnOutOfMemoryError");
        });
        assertThat(d().getSpec().getTemplate().getSpec().getRestartPolicy()).isIn(null, "Always");
        for (String service : List.of("chainrule", "replica")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> environment = (Map<String, Object>) composeService(service).get("environment");
            assertThat(String.valueOf(environment.get("JAVA_TOOL_OPTIONS"))).as(service).startsWith("-XX:+ExitOnOutOfMemoryError");
            assertThat(composeService(service).get("restart")).as(service).isEqualTo("unless-stopped");
        }
    }

    @Test
    void serviceAndAutoscalerPointAtTheDeployment() throws IOException {
        Deployment d = load(K8S.resolve("deployment.yaml"), Deployment.class);
        Service s = load(K8S.resolve("service.yaml"), Service.class);
        HorizontalPodAutoscaler hpa = load(K8S.resolve("hpa.yaml"), HorizontalPodAutoscaler.class);

        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(s.getSpec().getSelector());
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(s.getSpec().getSelector());
        Container c = container();
        int port = exposedPort();
        assertThat(s.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(portNumber(c, p.getTargetPort())).isEqualTo(port));

        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(d.getMetadata().getName());
        assertThat(hpa.getSpec().getMetrics()).singleElement()
                .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
    }

    /** Every probe path named anywhere answers UP on the running service. */
    @Test
    void theProbePathsAnswerUp() throws IOException {
        Container c = container();
        for (Probe probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
            raw().get(probe.getHttpGet().getPath()).then().statusCode(200).body("status", equalTo("UP"));
        }
    }

    // ---- reading the files ----

    private static <T> T load(Path file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return KUBE.unmarshal(in, type);
        }
    }

    private static Deployment d() throws IOException {
        return load(K8S.resolve("deployment.yaml"), Deployment.class);
    }

    private static Container container() throws IOException {
        return d().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String path(Probe probe) {
        assertThat(probe).isNotNull();
        return probe.getHttpGet().getPath();
    }

    private static int portNumber(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()))
                .getContainerPort();
    }

    private static String dockerfile() throws IOException {
        return Files.readString(Path.of("Dockerfile"));
    }

    private static int exposedPort() throws IOException {
        Matcher m = Pattern.compile("(?m)^EXPOSE (\\d+)$").matcher(dockerfile());
        assertThat(m.find()).as("EXPOSE in Dockerfile").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static Properties appProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** The port when no PORT / SERVER_PORT is given: {@code server.port=${PORT:8080}}. */
    private static int defaultServerPort() throws IOException {
        Matcher m = Pattern.compile("\\$\\{PORT:(\\d+)}").matcher(appProperties().getProperty("server.port"));
        assertThat(m.matches()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> composeService(String name) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    private static String pomVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>chainrule</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
