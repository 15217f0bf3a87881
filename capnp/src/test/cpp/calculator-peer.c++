// C++ reference peer for CppCalculatorInteropIT: test.capnp's Calculator served and called by the
// C++ implementation (libcapnp-dev), to check the Java runtime's level 1 behaviour against it:
// pipelining on returned capabilities, capabilities passed both ways, and Disembargo.
//   calculator-peer serve <address>    prints "listening <port>", serves until killed
//   calculator-peer client <address>   runs the scenario against a Calculator; prints "OK ..." lines
#include "test.capnp.h"
#include <capnp/ez-rpc.h>
#include <kj/async-io.h>
#include <kj/timer.h>
#include <iostream>
#include <string>
#include <vector>

class AdderImpl final : public Adder::Server {
public:
  explicit AdderImpl(int32_t total) : total(total) {}
protected:
  kj::Promise<void> add(AddContext context) override {
    total += context.getParams().getN();
    context.getResults().setTotal(total);
    return kj::READY_NOW;
  }
private:
  int32_t total;
};

class RecordingCallback final : public Callback::Server {
public:
  std::vector<std::string>* seen;
  explicit RecordingCallback(std::vector<std::string>* seen) : seen(seen) {}
protected:
  kj::Promise<void> call(CallContext context) override {
    std::string value = context.getParams().getValue().cStr();
    if (seen != nullptr) seen->push_back(value);
    context.getResults().setReply(kj::str("echo:", value.c_str()));
    return kj::READY_NOW;
  }
};

class CalculatorImpl final : public Calculator::Server {
public:
  kj::Timer* timer = nullptr;
protected:
  kj::Promise<void> add(AddContext context) override {
    context.getResults().setSum(context.getParams().getA() + context.getParams().getB());
    return kj::READY_NOW;
  }
  kj::Promise<void> getAdder(GetAdderContext context) override {
    context.getResults().setAdder(kj::heap<AdderImpl>(context.getParams().getBase()));
    return kj::READY_NOW;
  }
  kj::Promise<void> callBack(CallBackContext context) override {
    auto req = context.getParams().getCallback().callRequest();
    req.setValue(kj::str(context.getParams().getValue(), "!"));
    return req.send().then([context](auto reply) mutable {
      context.getResults().setReply(kj::str("callback said ", reply.getReply()));
    });
  }
  kj::Promise<void> fail(FailContext context) override {
    switch (context.getParams().getType()) {
      case 1: return KJ_EXCEPTION(OVERLOADED, "asked to fail with OVERLOADED");
      case 2: return KJ_EXCEPTION(DISCONNECTED, "asked to fail with DISCONNECTED");
      case 3: return KJ_EXCEPTION(UNIMPLEMENTED, "asked to fail with UNIMPLEMENTED");
      default: return KJ_EXCEPTION(FAILED, "asked to fail with FAILED");
    }
  }
  kj::Promise<void> slow(SlowContext context) override {
    return timer->afterDelay(context.getParams().getMillis() * kj::MILLISECONDS).then([context]() mutable {
      context.getResults().setDone(true);
    });
  }
  kj::Promise<void> echo(EchoContext context) override {
    // answer a little later, so callers reliably pipeline on the answer first
    return timer->afterDelay(50 * kj::MILLISECONDS).then([context]() mutable {
      context.getResults().setCap(context.getParams().getCap());
    });
  }
  kj::Promise<void> hold(HoldContext context) override {
    held = context.getParams().getCap();
    return kj::READY_NOW;
  }
  kj::Promise<void> drop(DropContext context) override {
    held = nullptr;
    return kj::READY_NOW;
  }
private:
  kj::Maybe<Callback::Client> held;
};

#define CHECK(cond, what) do { if (!(cond)) { std::cout << "FAIL " << what << std::endl; return 1; } \
  std::cout << "OK " << what << std::endl; } while (0)

static int runClient(const char* address) {
  capnp::EzRpcClient client(address);
  auto& ws = client.getWaitScope();
  Calculator::Client calc = client.getMain<Calculator>();
  {
    auto req = calc.addRequest();
    req.setA(2);
    req.setB(3);
    CHECK(req.send().wait(ws).getSum() == 5, "add");
  }
  {
    auto get = calc.getAdderRequest();
    get.setBase(100);
    auto promise = get.send();
    Adder::Client adder = promise.getAdder();  // pipelined: used before getAdder returns
    auto a1 = adder.addRequest(); a1.setN(1);
    auto a2 = adder.addRequest(); a2.setN(10);
    auto r1 = a1.send(); auto r2 = a2.send();
    CHECK(r1.wait(ws).getTotal() == 101 && r2.wait(ws).getTotal() == 111, "pipelined calls on a returned capability");
  }
  {
    auto req = calc.callBackRequest();
    req.setCallback(kj::heap<RecordingCallback>(nullptr));
    req.setValue("hi");
    CHECK(req.send().wait(ws).getReply() == "callback said echo:hi!", "capability passed in params and called back");
  }
  {
    std::vector<std::string> seen;
    auto req = calc.echoRequest();
    req.setCap(kj::heap<RecordingCallback>(&seen));
    auto echoed = req.send();
    Callback::Client promised = echoed.getCap();
    kj::Vector<kj::Promise<void>> calls;
    for (int i = 0; i < 10; i++) {
      auto c = promised.callRequest();
      c.setValue(kj::str("pipelined-", i));
      calls.add(c.send().ignoreResult());
    }
    echoed.wait(ws);
    for (int i = 0; i < 3; i++) {
      auto c = promised.callRequest();
      c.setValue(kj::str("direct-", i));
      calls.add(c.send().ignoreResult());
    }
    kj::joinPromises(calls.releaseAsArray()).wait(ws);
    bool ordered = seen.size() == 13;
    for (int i = 0; ordered && i < 10; i++) ordered = seen[i] == "pipelined-" + std::to_string(i);
    for (int i = 0; ordered && i < 3; i++) ordered = seen[10 + i] == "direct-" + std::to_string(i);
    CHECK(ordered, "our capability echoed back keeps E-order (Disembargo)");
  }
  for (int type = 0; type < 4; type++) {
    auto req = calc.failRequest();
    req.setType(type);
    int got = -1;
    try {
      req.send().wait(ws);
    } catch (kj::Exception& e) {
      got = (int) e.getType();
    }
    CHECK(got == type, "exception type " << type);
  }
  std::cout << "DONE" << std::endl;
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: calculator-peer serve|client <address>" << std::endl;
    return 2;
  }
  std::string mode = argv[1];
  if (mode == "serve") {
    auto impl = kj::heap<CalculatorImpl>();
    CalculatorImpl& calculator = *impl;
    capnp::EzRpcServer server(kj::mv(impl), argv[2]);
    calculator.timer = &server.getIoProvider().getTimer();
    auto& ws = server.getWaitScope();
    std::cout << "listening " << server.getPort().wait(ws) << std::endl;
    kj::NEVER_DONE.wait(ws);
  }
  if (mode == "client") return runClient(argv[2]);
  return 2;
}
