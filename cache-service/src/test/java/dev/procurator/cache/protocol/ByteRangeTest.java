package dev.procurator.cache.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void resolvesTheThreeFormsAgainstTheLength() {
        assertThat(ByteRange.parse("bytes=10-19", 100)).hasValue(new ByteRange(10, 19));
        assertThat(ByteRange.parse("bytes=90-", 100)).hasValue(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-5", 100)).hasValue(new ByteRange(95, 99));
        assertThat(ByteRange.parse("bytes=50-500", 100)).hasValue(new ByteRange(50, 99));
        assertThat(ByteRange.parse("bytes=-500", 100)).hasValue(new ByteRange(0, 99));
    }

    @Test
    void ignoresWhatItCannotServeAsOneRangeAndRefusesRangesPastTheEnd() {
        assertThat(ByteRange.parse(null, 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isEmpty();
        assertThat(ByteRange.parse("items=0-1", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=x-y", 100)).isEmpty();
        assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=20-10", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
