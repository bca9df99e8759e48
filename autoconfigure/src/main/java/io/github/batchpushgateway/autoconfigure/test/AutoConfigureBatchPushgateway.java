package io.github.batchpushgateway.autoconfigure.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Annotation for a test class whose application context should push Spring Batch job state to
 * the Pushgateway in its configuration.
 * <p>
 * Tests run with the Spring TestContext Framework ({@code @SpringBootTest},
 * {@code @SpringBatchTest} and the like) do not push by default, as Spring Boot keeps metrics
 * export off in tests: an application's own tests would otherwise report their runs to the
 * gateway of {@code application.yml}, often production. Instead of this annotation, the
 * property {@code batch.pushgateway.test.push=true} opts in too, for example in
 * {@code src/test/resources/application.properties} for every test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureBatchPushgateway {

	/**
	 * Whether jobs run in the test push their state to the Pushgateway.
	 * @return whether jobs push in the test
	 */
	boolean push() default true;

}
