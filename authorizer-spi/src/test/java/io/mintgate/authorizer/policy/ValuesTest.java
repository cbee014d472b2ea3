package io.mintgate.authorizer.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {

    @Test
    void theJdksImmutableListsAreKeptAsTheyAre() {
        List<String> one = List.of("read");
        List<String> many = List.copyOf(List.of("read", "write", "deploy"));
        assertThat(Values.copy(one)).isSameAs(one);
        assertThat(Values.copy(many)).isSameAs(many);
        assertThat(Values.copy(List.<String>of())).isEmpty();
    }

    @Test
    void anyOtherListIsCopiedWithoutNullsAndCannotChangeAfterwards() {
        List<String> mutable = new ArrayList<>(Arrays.asList("read", null, "write"));
        List<String> copy = Values.copy(mutable);
        mutable.add("deploy");
        assertThat(copy).containsExactly("read", "write");
        assertThatThrownBy(() -> copy.add("x")).isInstanceOf(UnsupportedOperationException.class);
        List<String> subList = List.of("a", "b", "c").subList(0, 2);
        assertThat(Values.copy(subList)).isNotSameAs(subList).containsExactly("a", "b");
    }
}
