package io.github.batchpushgateway.push;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GroupPath}.
 */
class GroupPathTests {

	@Test
	void plainNamesAndValuesArePercentEncodedWithSpacesAsPercent20() {
		assertThat(GroupPath.of(new PushGroup("weekly report+1", Map.of("region", "été"))))
			.isEqualTo("/metrics/job/weekly%20report%2B1/region/%C3%A9t%C3%A9");
	}

	@Test
	void valuesAPathSegmentCannotCarryAreBase64Encoded() {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("a", ".");
		labels.put("b", "..");
		labels.put("c", "x/y");
		labels.put("d", "");

		assertThat(GroupPath.of(new PushGroup("..", labels))).isEqualTo(
				"/metrics/job@base64/Li4=/a@base64/Lg==/b@base64/Li4=/c@base64/eC95/d@base64/=");
	}

}
