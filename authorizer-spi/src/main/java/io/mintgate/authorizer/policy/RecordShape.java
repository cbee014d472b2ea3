package io.mintgate.authorizer.policy;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.function.Function;

/**
 * A record class's components and canonical constructor, looked up once per class: reflection on records is slow,
 * and a replay rebuilds some of every request it reads ({@link CapturedRequest}). Each component is read through a function bound to its accessor (a lambda made once
 * per component), cheaper than a reflective {@code Method.invoke} or an uninlined method handle.
 */
final class RecordShape {

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    final String[] names;
    private final Function<Object, Object>[] accessors;
    private final Constructor<?> canonical;

    @SuppressWarnings("unchecked")
    private RecordShape(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        names = new String[components.length];
        accessors = new Function[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            accessors[i] = accessor(type, components[i]);
            types[i] = components[i].getType();
        }
        try {
            canonical = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A function calling the component's accessor; through its method handle where no lambda can be made. */
    @SuppressWarnings("unchecked")
    private static Function<Object, Object> accessor(Class<?> type, RecordComponent component) {
        Method method = component.getAccessor();
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            MethodHandle handle = lookup.unreflect(method);
            Class<?> result = MethodType.methodType(method.getReturnType()).wrap().returnType();
            return (Function<Object, Object>) LambdaMetafactory.metafactory(lookup, "apply",
                    MethodType.methodType(Function.class), MethodType.methodType(Object.class, Object.class), handle,
                    MethodType.methodType(result, type)).getTarget().invoke();
        } catch (Throwable lambdaRefused) {
            try {
                // A record nested in a non-public class has a public accessor that is not accessible from here.
                method.setAccessible(true);
                MethodHandle handle = MethodHandles.lookup().unreflect(method)
                        .asType(MethodType.methodType(Object.class, Object.class));
                return record -> {
                    try {
                        return handle.invokeExact(record);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                };
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalStateException("record component " + component + " cannot be read", e);
            }
        }
    }

    static RecordShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    Object get(Record record, int index) {
        return accessors[index].apply(record);
    }

    /** The record's component values, in declaration order. */
    Object[] values(Record record) {
        Object[] values = new Object[names.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = get(record, i);
        }
        return values;
    }

    /** A new record of these component values, through the canonical constructor. */
    Record construct(Object[] values) {
        try {
            return (Record) canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
