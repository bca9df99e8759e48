package io.github.batchpushgateway.example.gdpr;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's embedded file database, opened with the URL of {@code application.yml}: H2 does
 * not compact its file in the background while the job writes (a third of the process's CPU
 * time at 100,000 customers), and a commit still reaches the file within H2's default write
 * delay, so turning compaction off costs file size, not durability.
 */
class DemoDatabaseSettingsTests {

	@TempDir
	Path dataDir;

	@Test
	void demoDatabaseDoesNotCompactInTheBackgroundAndKeepsTheDefaultWriteDelay() {
		// given
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ClassPathResource("application.yml"));
		Properties properties = yaml.getObject();
		assertThat(properties).isNotNull();
		String url = properties.getProperty("spring.datasource.url")
			.replace("${demo.data-dir}", this.dataDir.toString());
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL(url);
		dataSource.setUser("sa");

		// when
		Map<String, String> settings = new HashMap<>();
		JdbcClient.create(dataSource)
			.sql("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
					+ "WHERE SETTING_NAME IN ('AUTO_COMPACT_FILL_RATE', 'WRITE_DELAY')")
			.query((rs) -> {
				settings.put(rs.getString(1), rs.getString(2));
			});
		JdbcClient.create(dataSource).sql("SHUTDOWN").update();

		// then
		assertThat(settings).containsEntry("AUTO_COMPACT_FILL_RATE", "0").containsEntry("WRITE_DELAY", "500");
	}

}
