package dev.orket.core.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CPU affinity policies and loopback server URLs")
class CpuAffinityTest {

    @Test
    @DisplayName("none pins nothing; compact takes the first cores, spread every other; a list is taken as written")
    void policies() {
        assertThat(CpuAffinity.cpuList("none", 4, 16)).isNull();
        assertThat(CpuAffinity.cpuList("compact", 4, 16)).isEqualTo("0-3");
        assertThat(CpuAffinity.cpuList("compact", null, 2)).isEqualTo("0-1");
        assertThat(CpuAffinity.cpuList("compact", 1, 2)).isEqualTo("0");
        assertThat(CpuAffinity.cpuList("spread", 3, 16)).isEqualTo("0,2,4");
        assertThat(CpuAffinity.cpuList("spread", 2, 2)).isEqualTo("0,1");
        assertThat(CpuAffinity.cpuList("0-3, 6", 4, 16)).isEqualTo("0-3, 6");
        assertThat(CpuAffinity.parse("0-3,6")).containsExactly(0, 1, 2, 3, 6);
        assertThat(CpuAffinity.isValid("Compact")).isTrue();
    }

    @Test
    @DisplayName("an unknown policy is an error that names it and the accepted ones")
    void unknownPolicy() {
        assertThat(CpuAffinity.isValid("scatter")).isFalse();
        assertThatThrownBy(() -> CpuAffinity.cpuList("scatter", 4, 16))
                .hasMessage("affinity_policy 'scatter' is not none, compact, spread or a CPU list such as 0-3,6");
        assertThatThrownBy(() -> CpuAffinity.parse("3-1")).hasMessageContaining("'3-1'");
    }

    @Test
    @DisplayName("only a loopback URL has a port to look for: localhost, 127.0.0.0/8 and ::1, with the scheme's default")
    void loopbackPorts() {
        assertThat(ServerProcessRule.loopbackPort(URI.create("http://127.0.0.1:8080"))).isEqualTo(8080);
        assertThat(ServerProcessRule.loopbackPort(URI.create("http://localhost:11434/"))).isEqualTo(11434);
        assertThat(ServerProcessRule.loopbackPort(URI.create("http://[::1]:8081"))).isEqualTo(8081);
        assertThat(ServerProcessRule.loopbackPort(URI.create("http://127.3.4.5"))).isEqualTo(80);
        assertThat(ServerProcessRule.loopbackPort(URI.create("https://localhost"))).isEqualTo(443);
        assertThat(ServerProcessRule.loopbackPort(URI.create("http://10.0.0.7:8080"))).isNull();
        assertThat(ServerProcessRule.loopbackPort(URI.create("http://gpu-box.lan:8080"))).isNull();
        assertThat(ServerProcessRule.forBaseUrl(URI.create("http://gpu-box.lan:8080"), List.of("ollama", "ollama"))
                .processNames()).containsExactly("ollama");
        assertThatThrownBy(() -> new ServerProcessRule(java.util.Set.of(), null, List.of(" ")))
                .hasMessageContaining("blank");
    }
}
