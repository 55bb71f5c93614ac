package io.patchloop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Marks one of Patchloop's runnable applications (api, worker, standalone).
 *
 * <p>Like {@code @SpringBootApplication}, but every application scans all of {@code io.patchloop}
 * that is on its classpath while leaving out the <em>other</em> application classes: the
 * standalone app has the api and worker jars on its classpath and must not pick up their
 * application classes as extra configurations.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootConfiguration
@EnableAutoConfiguration
@ConfigurationPropertiesScan("io.patchloop")
@ComponentScan(
    basePackages = "io.patchloop",
    excludeFilters = {
      @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
      @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
      @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = PatchloopApplication.class)
    })
public @interface PatchloopApplication {}
