package dev.chainrule.grading;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of the grading endpoints, settable as properties ({@code chainrule.grading.max-submissions}) or
 * environment variables ({@code CHAINRULE_GRADING_MAX_SUBMISSIONS}).
 *
 * @param maxSubmissions submissions in one {@code POST /v1/grade/batch} (default 2,000)
 */
@ConfigurationProperties("chainrule.grading")
record GradingProperties(Integer maxSubmissions) {

    GradingProperties {
        maxSubmissions = maxSubmissions == null ? 2_000 : maxSubmissions;
    }
}
