package io.github.batchpushgateway.example.gdpr.demo;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Demo data of the example ({@code demo.*}), created on first start.
 */
@ConfigurationProperties("demo")
public class DemoProperties {

	/**
	 * Directory of the H2 database file (absolute, or relative starting with "./").
	 */
	private Path dataDir = Path.of("./gdpr-demo-data");

	/**
	 * Customers to generate when the database is empty; 0 generates nothing.
	 */
	private int customers = 10_000;

	/**
	 * Seed of the generator: the same seed and size give the same data.
	 */
	private long seed = 42;

	/**
	 * Share of customers who have asked to be erased.
	 */
	private double requestShare = 0.05;

	public Path getDataDir() {
		return this.dataDir;
	}

	public void setDataDir(Path dataDir) {
		this.dataDir = dataDir;
	}

	public int getCustomers() {
		return this.customers;
	}

	public void setCustomers(int customers) {
		this.customers = customers;
	}

	public long getSeed() {
		return this.seed;
	}

	public void setSeed(long seed) {
		this.seed = seed;
	}

	public double getRequestShare() {
		return this.requestShare;
	}

	public void setRequestShare(double requestShare) {
		this.requestShare = requestShare;
	}

}
