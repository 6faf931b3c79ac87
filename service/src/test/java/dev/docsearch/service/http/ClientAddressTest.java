package dev.docsearch.service.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

    private final ClientAddress behindTheBalancer = new ClientAddress(List.of("10.0.0.0/16"));

    @Test
    void withoutTrustedProxiesTheTcpPeerIsTheClientWhateverItForwards() {
        ClientAddress direct = new ClientAddress(List.of());
        assertThat(direct.of("198.51.100.7", List.of("203.0.113.1"))).isEqualTo("198.51.100.7");
        // A peer outside the trusted blocks cannot name another client either.
        assertThat(behindTheBalancer.of("198.51.100.7", List.of("203.0.113.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void behindATrustedProxyTheClientIsTheRightMostHop() {
        assertThat(behindTheBalancer.of("10.0.1.20", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        // What the client wrote itself stands to the left of what the balancer appended: it is never taken.
        assertThat(behindTheBalancer.of("10.0.1.20", List.of("1.2.3.4, 203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(behindTheBalancer.of("10.0.1.20", List.of("1.2.3.4", "203.0.113.9"))).isEqualTo("203.0.113.9");
        // One hop: a client inside the network is a client too, not a proxy to look past.
        assertThat(behindTheBalancer.of("10.0.1.20", List.of("203.0.113.9, 10.0.2.30"))).isEqualTo("10.0.2.30");
        assertThat(behindTheBalancer.of("10.0.1.20", List.of())).isEqualTo("10.0.1.20");
        // Where only the balancer can reach the port (its security group), every peer may be trusted.
        ClientAddress anyPeer = new ClientAddress(List.of("0.0.0.0/0", "::/0"));
        assertThat(anyPeer.of("10.9.8.7", List.of("1.2.3.4, 198.51.100.7"))).isEqualTo("198.51.100.7");
        assertThat(anyPeer.of("2001:db8::1", List.of("2001:db8::5"))).isEqualTo("2001:db8::5");
        // A hop that is no address is a key, cut short, and never looked up.
        assertThat(behindTheBalancer.of("10.0.1.20", List.of("x".repeat(500)))).hasSize(64);
        assertThat(new ClientAddress(List.of("::1")).of("::1", List.of("2001:db8::5"))).isEqualTo("2001:db8::5");
    }

    @Test
    void entriesThatAreNoAddressOrBlockAreRefused() {
        for (String bad : List.of("proxy.example.com", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/16/2", "")) {
            assertThatThrownBy(() -> new ClientAddress(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address or CIDR");
        }
    }
}
