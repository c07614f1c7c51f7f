package dev.vigil.embedded.junit;

import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link EmbeddedOpenSearch} parameters (test constructors, {@code @BeforeAll},
 * {@code @Test} methods…). One node per test JVM, started on first use with
 * {@link EmbeddedOpenSearch.Options#defaults()} and kept in the root extension store, which closes
 * it when the JVM's test run ends.
 */
public final class OpenSearchExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(OpenSearchExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedOpenSearch.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return openSearch(extensionContext);
    }

    /** The node shared by this test JVM, started if needed. */
    public static EmbeddedOpenSearch openSearch(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(EmbeddedOpenSearch.class,
                key -> EmbeddedOpenSearch.start(EmbeddedOpenSearch.Options.defaults()), EmbeddedOpenSearch.class);
    }
}
