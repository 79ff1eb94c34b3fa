/**
 * The LwM2M object instances the reference client exposes (Device, Connectivity Monitoring, Location, IPSO
 * Temperature, Humidity and Light Control) and the simulated physics behind them: bounded random walks that drift at
 * the client's drift period. Each instance guards its own state, is read and written by Californium threads and
 * drifted by the client's scheduler, and fires resource changes outside its lock so observations notify. This package
 * must not start threads, open sockets or know how the client registers.
 */
package org.orbis.client.objects;
