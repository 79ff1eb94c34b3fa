/**
 * The Orbis reference constrained client: {@link org.orbis.client.ReferenceClient} (built by
 * {@link org.orbis.client.ReferenceClientBuilder}) assembles a Leshan client with the standard and IPSO objects of
 * {@code org.orbis.client.objects}, DTLS-PSK settings from {@code org.orbis.client.dtls} and the models of
 * {@code org.orbis.client.model}, and {@link org.orbis.client.ClientCli} runs one from the command line. The client is
 * a stand-in for foreign firmware, so this module must never depend on Orbis server code: it shares only Leshan and the
 * DDF files of {@code lwm2m-models} with the servers.
 */
package org.orbis.client;
