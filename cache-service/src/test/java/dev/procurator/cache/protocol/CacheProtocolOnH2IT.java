package dev.procurator.cache.protocol;

/** The protocol on the embedded database (the default): every call is local, so requests are served on the event loop. */
class CacheProtocolOnH2IT extends CacheProtocolContract {
}
