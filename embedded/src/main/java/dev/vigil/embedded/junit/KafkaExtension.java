package dev.vigil.embedded.junit;

import dev.vigil.embedded.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link EmbeddedKafka} parameters (test constructors, {@code @BeforeAll}, {@code @Test}
 * methods…). One broker per test JVM, started on first use with {@link EmbeddedKafka.Options#defaults()}
 * and kept in the root extension store, which closes it when the JVM's test run ends.
 *
 * <pre>{@code
 * @ExtendWith(KafkaExtension.class)
 * class SomethingIT {
 *     @Test
 *     void shouldDoIt(EmbeddedKafka kafka) { kafka.createTopic("t", 3, Map.of()); ... }
 * }
 * }</pre>
 */
public final class KafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return kafka(extensionContext);
    }

    /** The broker shared by this test JVM, started if needed. */
    public static EmbeddedKafka kafka(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                EmbeddedKafka.class, key -> EmbeddedKafka.start(EmbeddedKafka.Options.defaults()), EmbeddedKafka.class);
    }
}
