package io.dcx.hub.scheduling;

import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.component.quartz.QuartzHelper;
import org.apache.camel.spi.ComponentCustomizer;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-quartz routes run on Spring Boot's Quartz scheduler ({@code spring.quartz.*}): a clustered JDBC job store on
 * the hub's own DataSource, tables from Flyway V3. camel-quartz only registers its CamelContext with schedulers it
 * creates itself, so it is registered here under the key its jobs look up. Boot does not start the scheduler
 * ({@code spring.quartz.auto-startup: false}); camel-quartz starts it once Camel has started, so no job fires into a
 * context that is not ready.
 */
@Configuration(proxyBeanMethods = false)
class QuartzSchedulerConfig {

    @Bean
    ComponentCustomizer quartzOnTheClusteredScheduler(Scheduler quartzScheduler) {
        return ComponentCustomizer.builder(QuartzComponent.class).build(component -> {
            component.setScheduler(quartzScheduler);
            component.getCamelContext().addStartupListener((context, alreadyStarted) -> {
                try {
                    quartzScheduler.getContext().put(
                            QuartzConstants.QUARTZ_CAMEL_CONTEXT + "-" + QuartzHelper.getQuartzContextName(context), context);
                } catch (SchedulerException e) {
                    throw new IllegalStateException("Cannot register the Camel context with the Quartz scheduler", e);
                }
            });
        });
    }
}
