/**
 * The LwM2M object models the reference client knows: Leshan's bundled OMA core objects plus every DDF file
 * listed in {@code /models/index.txt} of the {@code lwm2m-models} module. This package only loads and validates
 * models; it must not hold device state or network code, and it shares no code with the server modules (they load
 * the same DDF files on their own).
 */
package org.orbis.client.model;
