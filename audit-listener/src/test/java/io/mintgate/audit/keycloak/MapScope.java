package io.mintgate.audit.keycloak;

import org.keycloak.Config;

import java.util.Map;
import java.util.Set;

/** Server options as Keycloak hands them to a provider factory, from a map (option name without the prefix). */
class MapScope implements Config.Scope {
    private final Map<String, String> values;

    MapScope(Map<String, String> values) {
        this.values = values;
    }

    @Override
    public String get(String key) {
        return values.get(key);
    }

    @Override
    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    @Override
    public String[] getArray(String key) {
        String v = get(key);
        return v == null ? null : v.split(",");
    }

    @Override
    public Integer getInt(String key, Integer defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : Integer.valueOf(v);
    }

    @Override
    public Long getLong(String key, Long defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : Long.valueOf(v);
    }

    @Override
    public Boolean getBoolean(String key, Boolean defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : Boolean.valueOf(v);
    }

    @Override
    public Config.Scope scope(String... scope) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public Config.Scope root() {
        throw new UnsupportedOperationException();
    }
}
