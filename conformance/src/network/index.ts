/** `@synod/conformance/network`: loopback ports and TCP proxies for fault injection between real processes. */
export { freePort, distinctFreePorts } from "./free-port.js";
export { startTcpProxy, type CutMode, type TcpProxy } from "./tcp-proxy.js";
export { startProxyMesh, type ProxyMesh } from "./proxy-mesh.js";
