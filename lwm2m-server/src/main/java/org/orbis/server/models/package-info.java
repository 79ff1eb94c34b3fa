/**
 * The LwM2M object models (DDF) the server decodes with: Leshan's bundled OMA core objects (0 to 7 and 21, in every
 * version Leshan ships) plus Orbis's DDF files from {@code lwm2m-models} (IPSO objects, the World View object 33100).
 * At start the DM server publishes them to the world model as plain records ({@link
 * org.orbis.server.models.ModelDescriptors}), and records the object versions each device registers with ({@link
 * org.orbis.server.models.ObjectVersionRecorder}), so that every resource node knows its model.
 */
package org.orbis.server.models;
