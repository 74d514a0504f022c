package io.backflow.load;

import io.backflow.config.RateLimit;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class WriterRatesTest {

    @Test
    void givesEachWriterAWholeRateSummingToTheGlobalLimit() {
        WriterRates rates = WriterRates.of(4, Optional.of(new RateLimit(10)));

        assertThat(rates.writers()).isEqualTo(4);
        assertThat(IntStream.range(0, 4).mapToDouble(p -> rates.rateOf(p).orElseThrow()).toArray())
                .containsExactly(3, 3, 2, 2);
    }

    @Test
    void neverLetsRoundingUpOverrunTheLimit() {
        for (int writers = 1; writers <= 16; writers++) {
            for (double limit : new double[] {1, 2.5, 7, 10, 33.3, 100}) {
                WriterRates rates = WriterRates.of(writers, Optional.of(new RateLimit(limit)));
                double worstCasePerSecond = IntStream.range(0, rates.writers())
                        .mapToDouble(p -> Math.ceil(rates.rateOf(p).orElseThrow())).sum();
                assertThat(worstCasePerSecond).as("%d writers at %s/s", writers, limit).isLessThanOrEqualTo(limit);
            }
        }
    }

    @Test
    void runsFewerWritersWhenTheLimitIsBelowTheWriterCount() {
        WriterRates rates = WriterRates.of(8, Optional.of(new RateLimit(3)));

        assertThat(rates.writers()).isEqualTo(3);
        assertThat(rates.rateOf(0)).contains(1.0);
    }

    @Test
    void keepsAFractionalRateBelowOneForASingleWriter() {
        WriterRates rates = WriterRates.of(4, Optional.of(new RateLimit(0.5)));

        assertThat(rates.writers()).isEqualTo(1);
        assertThat(rates.rateOf(0)).contains(0.5);
    }

    @Test
    void isUnlimitedWithoutARateLimit() {
        WriterRates rates = WriterRates.of(4, Optional.empty());

        assertThat(rates.writers()).isEqualTo(4);
        assertThat(rates.rateOf(2)).isEmpty();
    }
}
