package io.dcx.hub.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layout's rules (docs/architecture.md), checked on the compiled main code. */
class PackageRulesTest {

    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dcx.hub");

    @Test
    void noPackageImportsAPackageThatImportsItBack() {
        slices().matching("io.dcx.hub.(**)").should().beFreeOfCycles().check(HUB);
    }

    @Test
    void providerAdaptersImportNoCapabilityPackage() {
        noClasses().that().resideInAPackage("io.dcx.hub.provider..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dcx.hub.voice..", "io.dcx.hub.recordings..",
                        "io.dcx.hub.calls..", "io.dcx.hub.leads..", "io.dcx.hub.aicalls..", "io.dcx.hub.dialer..",
                        "io.dcx.hub.webhooks..", "io.dcx.hub.conversions..", "io.dcx.hub.catalog..",
                        "io.dcx.hub.routing..", "io.dcx.hub.messaging..", "io.dcx.hub.compliance..",
                        "io.dcx.hub.events..", "io.dcx.hub.privacy..", "io.dcx.hub.retention..")
                .check(HUB);
    }
}
