package org.orbis.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.leshan.core.link.DefaultLinkParser;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orbis.server.observe.ObservePolicy.ObjectRange;

class ObservePolicyTest {

    @Test
    void defaultPolicyObservesDeviceConnectivityFirmwareLocationAndTheIpsoSensorRange() {
        ObservePolicy policy = ObservePolicy.defaults();

        assertThat(policy.ranges()).containsExactly(new ObjectRange(3, 3), new ObjectRange(4, 4), new ObjectRange(5, 5),
                new ObjectRange(6, 6), new ObjectRange(3300, 3350));
        assertThat(policy).hasToString("3,4,5,6,3300-3350");
    }

    @Test
    void spacesAroundItemsAndAroundTheDashAreIgnored() {
        ObservePolicy policy = ObservePolicy.parse(" 3 ,4,  3300 - 3350 ");

        assertThat(policy.ranges()).containsExactly(new ObjectRange(3, 3), new ObjectRange(4, 4),
                new ObjectRange(3300, 3350));
        assertThat(policy).hasToString("3,4,3300-3350");
    }

    @Test
    void emptyPolicyObservesNothing() {
        ObservePolicy policy = ObservePolicy.parse("");

        assertThat(policy.ranges()).isEmpty();
        assertThat(policy.covers(3)).isFalse();
        assertThat(policy.targets(links("</3/0>,</3303/0>"), "/")).isEmpty();
        assertThat(ObservePolicy.none().ranges()).isEmpty();
    }

    @Test
    void coversSingleIdsAndBothEndsOfARange() {
        ObservePolicy policy = ObservePolicy.parse("3,3300-3350");

        assertThat(policy.covers(3)).isTrue();
        assertThat(policy.covers(3300)).isTrue();
        assertThat(policy.covers(3325)).isTrue();
        assertThat(policy.covers(3350)).isTrue();
        assertThat(policy.covers(2)).isFalse();
        assertThat(policy.covers(4)).isFalse();
        assertThat(policy.covers(3299)).isFalse();
        assertThat(policy.covers(3351)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "abc", "3-", "-3", "3350-3300", "70000", "1-70000", "3-4-5", "3.5" })
    void badItemIsRefusedWithAMessageNamingIt(String item) {
        assertThatThrownBy(() -> ObservePolicy.parse("3," + item + ",6"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + item + "'")
                .hasMessageContaining("3300-3350");
    }

    @Test
    void targetsAreTheCoveredObjectInstancesInPathOrder() {
        Link[] objectLinks = links("</>;rt=\"oma.lwm2m\";ct=11543,</3303/1>,</1/0>,</3/0>,</5/0>,</3303/0>,</4/0>,"
                + "</3400/0>");

        List<LwM2mPath> targets = ObservePolicy.defaults().targets(objectLinks, "/");

        assertThat(targets).containsExactly(new LwM2mPath(3, 0), new LwM2mPath(4, 0), new LwM2mPath(5, 0),
                new LwM2mPath(3303, 0), new LwM2mPath(3303, 1));
    }

    @Test
    void objectLevelAndResourceLevelLinksAreNotObserved() {
        Link[] objectLinks = links("</3303>;ver=1.1,</6>,</3/0/1>,</3303/0>");

        assertThat(ObservePolicy.defaults().targets(objectLinks, "/")).containsExactly(new LwM2mPath(3303, 0));
    }

    @Test
    void instancesUnderAnAlternateRootPathAreFound() {
        Link[] objectLinks = links("</lwm2m>;rt=\"oma.lwm2m\",</lwm2m/1/0>,</lwm2m/3/0>,</lwm2m/3303>,</lwm2m/3303/2>");

        assertThat(ObservePolicy.defaults().targets(objectLinks, "/lwm2m/"))
                .containsExactly(new LwM2mPath(3, 0), new LwM2mPath(3303, 2));
    }

    @Test
    void aNullRootPathMeansTheDefaultRoot() {
        assertThat(ObservePolicy.defaults().targets(links("</3/0>"), null)).containsExactly(new LwM2mPath(3, 0));
    }

    @Test
    void linksThatAreNotLwm2mPathsAreSkipped() {
        Link[] objectLinks = links("</.well-known/core>,</firmware/image>,</3/0>,</99999/0>");

        assertThat(ObservePolicy.defaults().targets(objectLinks, "/")).containsExactly(new LwM2mPath(3, 0));
    }

    @Test
    void anInstanceListedTwiceIsObservedOnce() {
        assertThat(ObservePolicy.defaults().targets(links("</3/0>,</3/0>;ver=1.1"), "/"))
                .containsExactly(new LwM2mPath(3, 0));
    }

    private static Link[] links(String coreLinkFormat) {
        return new DefaultLinkParser().parse(coreLinkFormat.getBytes(StandardCharsets.UTF_8));
    }
}
