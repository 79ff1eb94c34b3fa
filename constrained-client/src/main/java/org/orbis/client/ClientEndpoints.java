package org.orbis.client;

import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.eclipse.californium.core.observe.ObservationStore;
import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.leshan.core.californium.DefaultEndpointFactory;

/**
 * Builds the client's CoAP endpoints the way Leshan does, and also: remembers the DTLS configuration (the credentials)
 * of the latest secured endpoint, so that a firmware download can open its own DTLS session with the same identity;
 * and lets a queue-mode device drop requests that arrive while it sleeps (its radio is off) and stay awake while
 * requests keep coming.
 */
final class ClientEndpoints extends DefaultEndpointFactory {

    /** Decides what happens to a request from the server. */
    interface RequestGate {
        /** @return {@code false} to drop the request unanswered */
        boolean admit();
    }

    private final RequestGate gate;
    private final java.util.concurrent.ExecutorService sharedExecutor;
    private volatile DtlsConnectorConfig secured;

    /** @param sharedExecutor the client's shared executor, which DTLS work runs on too, or {@code null} */
    ClientEndpoints(RequestGate gate, java.util.concurrent.ExecutorService sharedExecutor) {
        super("LWM2M Client", true);
        this.gate = gate;
        this.sharedExecutor = sharedExecutor;
    }

    /** The DTLS configuration of the secured endpoint created last (the DM server's, once registered), or null. */
    DtlsConnectorConfig securedConfig() {
        return secured;
    }

    @Override
    protected Connector createSecuredConnector(DtlsConnectorConfig dtlsConfig) {
        DTLSConnector connector = new DTLSConnector(dtlsConfig);
        if (sharedExecutor != null) {
            connector.setExecutor(sharedExecutor);
        }
        return connector;
    }

    @Override
    public CoapEndpoint createSecuredEndpoint(DtlsConnectorConfig dtlsConfig, Configuration coapConfig,
            ObservationStore store) {
        secured = dtlsConfig;
        CoapEndpoint endpoint = super.createSecuredEndpoint(dtlsConfig, coapConfig, store);
        endpoint.addInterceptor(new MessageInterceptorAdapter() {
            @Override
            public void receiveRequest(Request request) {
                if (!gate.admit()) {
                    request.setCanceled(true);
                }
            }
        });
        return endpoint;
    }
}
