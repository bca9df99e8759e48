package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells several listeners, shielding the sender from any of them failing.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class CompositePushListener implements PushListener {

	private static final Log logger = LogFactory.getLog(CompositePushListener.class);

	private final List<PushListener> listeners;

	/**
	 * Creates a composite.
	 * @param listeners the listeners, told in this order
	 */
	public CompositePushListener(List<PushListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void pushSucceeded(PushGroup group, Duration duration) {
		for (PushListener listener : this.listeners) {
			try {
				listener.pushSucceeded(group, duration);
			}
			catch (RuntimeException ex) {
				logger.warn("Push listener " + listener.getClass().getName() + " failed", ex);
			}
		}
	}

	@Override
	public void pushFailed(PushGroup group, Exception failure, Duration duration) {
		for (PushListener listener : this.listeners) {
			try {
				listener.pushFailed(group, failure, duration);
			}
			catch (RuntimeException ex) {
				logger.warn("Push listener " + listener.getClass().getName() + " failed", ex);
			}
		}
	}

}
