package org.orbis.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orbis-certs command writes a CA, servers, devices and raw key pairs that load and chain as documented. */
class CertsCliTest {

    @TempDir
    Path dir;

    @Test
    void createsACaAServerWithItsNamesADeviceNamedAfterItsEndpointAndAnRpkPair() throws Exception {
        assertThat(CertsCli.run("ca", "--name", "Acme CA", "--organisation", "Acme", "--out", dir.toString())).isZero();
        String ca = dir.resolve("ca.pem").toString();
        String caKey = dir.resolve("ca.key.pem").toString();
        assertThat(CertsCli.run("server", "--ca", ca, "--ca-key", caKey, "--name", "dm", "--dns", "dm.acme.test",
                "--ip", "127.0.0.1,::1", "--out", dir.toString())).isZero();
        assertThat(CertsCli.run("device", "--ca", ca, "--ca-key", caKey, "--endpoint", "sensor-42", "--out",
                dir.toString())).isZero();
        assertThat(CertsCli.run("rpk", "--name", "sensor-43", "--out", dir.toString())).isZero();

        X509Certificate caCert = Pem.readCertificate(dir.resolve("ca.pem"));
        List<X509Certificate> serverChain = Pem.readCertificates(dir.resolve("dm.pem"));
        assertThat(serverChain).hasSize(2);
        serverChain.get(0).verify(caCert.getPublicKey());
        assertThat(serverChain.get(0).getSubjectAlternativeNames()).extracting(name -> (Object) String.valueOf(name.get(1)))
                .containsExactlyInAnyOrder("dm.acme.test", "127.0.0.1", "0:0:0:0:0:0:0:1");

        X509Certificate device = Pem.readCertificate(dir.resolve("sensor-42.der"));
        device.verify(caCert.getPublicKey());
        assertThat(CertificateAuthority.commonName(device)).isEqualTo("sensor-42");
        assertThat(device.getSubjectX500Principal().getName()).contains("O=Acme");
        assertThat(signsAndVerifies(Pem.readPrivateKey(dir.resolve("sensor-42.key.der")), device.getPublicKey())).isTrue();
        assertThat(signsAndVerifies(Pem.readPrivateKey(dir.resolve("sensor-43.key.pem")),
                Pem.readPublicKey(dir.resolve("sensor-43.pub.der")))).isTrue();
        assertThat(CertificateAuthority.isDevelopmentOnly(device)).isFalse();
    }

    @Test
    void aServerCertificateWithoutAnyNameIsRefused() {
        CertsCli.run("ca", "--out", dir.toString());
        int code = CertsCli.run("server", "--ca", dir.resolve("ca.pem").toString(), "--ca-key",
                dir.resolve("ca.key.pem").toString(), "--name", "nameless", "--out", dir.toString());
        assertThat(code).isNotZero();
        assertThat(Files.exists(dir.resolve("nameless.pem"))).isFalse();
    }

    @Test
    void theCheckedInDevelopmentMaterialIsMarkedAndChainsToTheDevelopmentCa() throws Exception {
        CertificateAuthority ca = DevelopmentMaterial.ca();
        for (X509Identity server : List.of(DevelopmentMaterial.dmServer(), DevelopmentMaterial.bootstrapServer())) {
            server.certificate().verify(ca.certificate().getPublicKey());
            assertThat(DevelopmentMaterial.isDevelopmentMaterial(server.certificate())).isTrue();
            assertThat(server.certificate().getSubjectAlternativeNames()).extracting(name -> (Object) String.valueOf(name.get(1)))
                    .contains("localhost", "127.0.0.1");
            assertThat(signsAndVerifies(server.privateKey(), server.certificate().getPublicKey())).isTrue();
        }
        assertThat(CertificateAuthority.commonName(DevelopmentMaterial.demoDevice().certificate()))
                .isEqualTo(DevelopmentMaterial.DEMO_DEVICE);
        CertificateAuthority production = CertificateAuthority.createRoot("Acme CA", "Acme", java.time.Duration.ofDays(1));
        assertThat(DevelopmentMaterial.isDevelopmentMaterial(production.certificate())).isFalse();
    }

    private static boolean signsAndVerifies(java.security.PrivateKey privateKey, java.security.PublicKey publicKey)
            throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }
}
