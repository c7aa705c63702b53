/** An application that embeds devicegrant as modules; ModulePathHostTest compiles and runs it. */
module example.host {
    requires org.devicegrant;
    requires org.devicegrant.storage.inmemory;
    requires org.devicegrant.device;
}
