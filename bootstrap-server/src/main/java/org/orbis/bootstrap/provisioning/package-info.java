/**
 * Provisioning: issuing a device's bootstrap and DM-server credentials together, in one transaction, generating
 * whatever the operator did not supply. Secrets are returned once to the caller and never logged.
 */
package org.orbis.bootstrap.provisioning;
