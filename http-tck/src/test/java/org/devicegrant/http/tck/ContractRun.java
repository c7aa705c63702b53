package org.devicegrant.http.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The outcome of running one test class through the JUnit Platform Launcher, by test method
 * name: how the kit's own tests watch a contract pass or fail against a given implementation.
 */
record ContractRun(Set<String> succeeded, Set<String> failed, Set<String> aborted) {

    /** Runs every test of {@code testClass} and records each method's outcome. */
    static ContractRun of(Class<?> testClass) {
        Set<String> succeeded = Collections.synchronizedSet(new TreeSet<>());
        Set<String> failed = Collections.synchronizedSet(new TreeSet<>());
        Set<String> aborted = Collections.synchronizedSet(new TreeSet<>());
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                String name = test.getSource()
                        .filter(MethodSource.class::isInstance)
                        .map(source -> ((MethodSource) source).getMethodName())
                        .orElse(test.getDisplayName());
                if (!test.isTest()) {
                    if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        failed.add("container " + name);
                    }
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> succeeded.add(name);
                    case FAILED -> failed.add(name);
                    case ABORTED -> aborted.add(name);
                }
            }
        };
        LauncherFactory.create().execute(request().selectors(selectClass(testClass)).build(), listener);
        return new ContractRun(Set.copyOf(succeeded), Set.copyOf(failed), Set.copyOf(aborted));
    }
}
