package io.patchloop.api;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schema names a generated client can rely on. Swagger names a schema by the class's simple name,
 * so {@code AgentStatus.State} and {@code HostOutcome.State} would become one {@code State} schema
 * with the values of whichever came first, and a client would read one with the other's type. A
 * type nested in a record (a model's own part) is named after it instead: {@code AgentStatusState},
 * {@code HostOutcomeState}, {@code HostReportPatch}. Two classes that still meet on one name stop
 * the description being built, with both named, rather than be merged silently.
 */
final class SchemaNames implements ModelConverter {

  private final Map<String, Class<?>> taken = new ConcurrentHashMap<>();

  @Override
  public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    JavaType javaType = Json.mapper().constructType(type.getType());
    Class<?> raw = javaType == null ? null : javaType.getRawClass();
    if (raw != null && raw.getName().startsWith("io.patchloop.") && !javaType.hasGenericTypes()
        && !raw.isArray() && type.getName() == null) {
      Class<?> enclosing = raw.getEnclosingClass();
      String name = enclosing != null && enclosing.isRecord() ? enclosing.getSimpleName() + raw.getSimpleName()
          : raw.getSimpleName();
      Class<?> other = taken.putIfAbsent(name, raw);
      if (other != null && other != raw) {
        throw new IllegalStateException("schema name " + name + " would stand for both " + other.getName()
            + " and " + raw.getName() + "; rename one");
      }
      if (!name.equals(raw.getSimpleName())) {
        type.name(name);
      }
    }
    return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
  }
}
