package dev.chainrule.network;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Every kind of layer and of loss, found with {@link ServiceLoader} in the order
 * {@code META-INF/services/dev.chainrule.network.Layer$Kind} and {@code …Loss$Kind} list them: a new kind is its
 * own file and a line there, and everything generic (the reader, names, messages, variants) iterates these.
 */
public final class Kinds {

    private static final List<Layer.Kind> LAYERS = load(Layer.Kind.class);
    private static final List<Loss.Kind> LOSSES = load(Loss.Kind.class);

    private Kinds() {
    }

    private static <T> List<T> load(Class<T> type) {
        List<T> out = new ArrayList<>();
        ServiceLoader.load(type, type.getClassLoader()).forEach(out::add);
        if (out.isEmpty()) {
            throw new IllegalStateException("no " + type.getName() + " listed in META-INF/services");
        }
        return List.copyOf(out);
    }

    public static List<Layer.Kind> layers() {
        return LAYERS;
    }

    public static List<Loss.Kind> losses() {
        return LOSSES;
    }

    /** The layer kind of this wire type, or null. */
    public static Layer.Kind layer(String type) {
        for (Layer.Kind k : LAYERS) {
            if (k.type().equals(type)) {
                return k;
            }
        }
        return null;
    }

    /** The loss kind of this wire name, or null. */
    public static Loss.Kind loss(String type) {
        for (Loss.Kind k : LOSSES) {
            if (k.type().equals(type)) {
                return k;
            }
        }
        return null;
    }

    /** The request's own fields some layer kind reads in place of x and batch ({@code words}, {@code batch_words}). */
    public static List<String> inputFields() {
        List<String> out = new ArrayList<>();
        for (Layer.Kind k : LAYERS) {
            out.addAll(k.inputFields());
        }
        return out;
    }

    /** Fields of any kind that are settings or targets rather than values: a variant of an example keeps them. */
    public static Set<String> settings() {
        Set<String> out = new LinkedHashSet<>();
        for (Layer.Kind k : LAYERS) {
            out.addAll(k.settings());
            out.addAll(k.inputFields());
        }
        for (Loss.Kind k : LOSSES) {
            out.addAll(k.settings());
        }
        return out;
    }
}
