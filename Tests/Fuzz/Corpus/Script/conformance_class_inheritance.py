class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " says " + self.sound
    def kind(self):
        return "animal"
class Dog(Animal):
    sound = "woof"
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def kind(self):
        return "dog/" + super().kind()
class Puppy(Dog):
    def speak(self):
        return super().speak() + "!"
d = Dog("Rex", "lab")
p = Puppy("Bit", "pug")
print(d.speak(), d.kind(), d.breed)
print(p.speak(), p.kind())
print(isinstance(p, Animal), isinstance(p, Dog), isinstance(d, Puppy), issubclass(Puppy, Animal), issubclass(Animal, Dog))
print(Puppy.__bases__[0].__name__, [c.__name__ for c in Puppy.__mro__])
class Base:
    def hello(self):
        return "base hello from " + type(self).__name__
class Child(Base):
    pass
print(Child().hello())
